namespace NetJournal.Client;

/// <summary>
/// Round-trip times to one server and the timers made from them, as QUIC keeps them (RFC 9002 §5 and §6, after
/// RFC 6298): the latest and smallest sample, a smoothed RTT and its mean deviation. Samples come only from datagrams
/// answered on their first transmission (Karn: an answer to a resent one cannot say which copy it answers).
/// Thread-safe.
/// </summary>
public sealed class RttEstimator
{
    /// <summary>
    /// The timer granularity of RFC 9002 §6.1.2: the least a deviation or a loss delay counts for. Timers here tick
    /// at about a millisecond, so waits shorter than this would only round down to nothing.
    /// </summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(2);

    private readonly Lock _gate = new();
    private readonly TimeSpan _initial, _min, _max;
    private TimeSpan _latest, _minRtt, _smoothed, _variation;
    private bool _measured;

    /// <param name="initial">The probe timeout before any round trip is measured.</param>
    /// <param name="min">The least probe timeout (a few milliseconds: a loopback RTT is a fraction of one).</param>
    /// <param name="max">The most any probe timeout is, after backoff too.</param>
    public RttEstimator(TimeSpan initial, TimeSpan min, TimeSpan max)
    {
        _initial = initial;
        _min = min;
        _max = max < min ? min : max;
    }

    /// <summary>The most recent sample; zero before any.</summary>
    public TimeSpan Latest { get { lock (_gate) return _latest; } }

    /// <summary>The smallest sample seen; zero before any.</summary>
    public TimeSpan Min { get { lock (_gate) return _minRtt; } }

    /// <summary>The smoothed RTT (7/8 old + 1/8 new); zero before any sample.</summary>
    public TimeSpan Smoothed { get { lock (_gate) return _smoothed; } }

    /// <summary>The RTT's mean deviation (3/4 old + 1/4 new); zero before any sample.</summary>
    public TimeSpan Variation { get { lock (_gate) return _variation; } }

    /// <summary>
    /// The probe timeout (RFC 9002 §6.2.1): smoothed RTT + max(4 × deviation, granularity), within [min, max];
    /// the initial timeout before any sample.
    /// </summary>
    public TimeSpan ProbeTimeout
    {
        get
        {
            lock (_gate)
            {
                if (!_measured) return Clamp(_initial);
                var spread = _variation * 4 < Granularity ? Granularity : _variation * 4;
                return Clamp(_smoothed + spread);
            }
        }
    }

    /// <summary>
    /// How long after a datagram was sent it counts as lost once a later one was answered (RFC 9002 §6.1.2):
    /// 9/8 × max(smoothed, latest RTT), at least the granularity; the initial timeout before any sample.
    /// </summary>
    public TimeSpan LossDelay
    {
        get
        {
            lock (_gate)
            {
                if (!_measured) return _initial;
                var rtt = _smoothed > _latest ? _smoothed : _latest;
                var delay = rtt * 9 / 8;
                return delay < Granularity ? Granularity : delay;
            }
        }
    }

    /// <summary>The wait before probe number <paramref name="probes"/> + 1 when nothing comes back: the probe timeout doubled per probe, capped at the max.</summary>
    public TimeSpan Backoff(int probes)
    {
        var pto = ProbeTimeout;
        return Clamp(pto * Math.Pow(2, Math.Clamp(probes, 0, 16)));
    }

    /// <summary>Takes one round trip: from a datagram's first and only transmission to its answer. Non-positive samples are ignored.</summary>
    public void Sample(TimeSpan rtt)
    {
        if (rtt <= TimeSpan.Zero) return;
        lock (_gate)
        {
            _latest = rtt;
            if (!_measured || rtt < _minRtt) _minRtt = rtt;
            if (!_measured)
            {
                _smoothed = rtt;
                _variation = rtt / 2;
                _measured = true;
                return;
            }
            var deviation = (_smoothed - rtt).Duration();
            _variation = (_variation * 3 + deviation) / 4;
            _smoothed = (_smoothed * 7 + rtt) / 8;
        }
    }

    private TimeSpan Clamp(TimeSpan t) => t < _min ? _min : t > _max ? _max : t;
}
