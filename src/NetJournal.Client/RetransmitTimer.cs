namespace NetJournal.Client;

/// <summary>
/// The retransmission timeout, from measured round trips (RFC 6298: smoothed RTT plus four deviations),
/// doubled on every retry of the same datagram and capped, so a lossy path never sees a retry storm.
/// Samples from retransmitted datagrams are not taken (Karn). Thread-safe.
/// </summary>
public sealed class RetransmitTimer(TimeSpan initial, TimeSpan min, TimeSpan max)
{
    private readonly Lock _gate = new();
    private double _srttMs = -1, _rttVarMs;

    public TimeSpan Current
    {
        get
        {
            lock (_gate)
            {
                if (_srttMs < 0) return initial;
                return Clamp(TimeSpan.FromMilliseconds(_srttMs + Math.Max(4 * _rttVarMs, 1)));
            }
        }
    }

    public void Sample(TimeSpan rtt)
    {
        var ms = rtt.TotalMilliseconds;
        lock (_gate)
        {
            if (_srttMs < 0)
            {
                _srttMs = ms;
                _rttVarMs = ms / 2;
            }
            else
            {
                _rttVarMs = 0.75 * _rttVarMs + 0.25 * Math.Abs(_srttMs - ms);
                _srttMs = 0.875 * _srttMs + 0.125 * ms;
            }
        }
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = first retransmission).</summary>
    public TimeSpan Backoff(int attempt) => Clamp(Current * Math.Pow(2, Math.Min(attempt, 10)));

    private TimeSpan Clamp(TimeSpan t) => t < min ? min : t > max ? max : t;
}
