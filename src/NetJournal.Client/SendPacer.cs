using System.Diagnostics;

namespace NetJournal.Client;

/// <summary>
/// A token bucket for this client's own datagrams, kept below the server's per-source limit: a datagram over that
/// limit is dropped unanswered and must be found lost and sent again, so going a little
/// slower is much faster than going too fast. The bucket holds a fiftieth of a second's worth, so a burst stays far
/// inside the server's (two seconds' worth). Thread-safe; the common case is one lock and no wait.
/// </summary>
internal sealed class SendPacer
{
    private readonly Lock _gate = new();
    private readonly double _perTick;
    private readonly long _ticksPerSecond;
    private double _tokens;
    private long _last;

    /// <param name="perSecond">Datagrams a second; 0 or less means no pacing.</param>
    public SendPacer(int perSecond) : this(perSecond, Stopwatch.Frequency, Stopwatch.GetTimestamp())
    {
    }

    /// <param name="ticksPerSecond">The unit of the timestamps given to TryTake (Stopwatch ticks but in tests).</param>
    /// <param name="start">The time the bucket starts full at.</param>
    internal SendPacer(int perSecond, long ticksPerSecond, long start)
    {
        _ticksPerSecond = ticksPerSecond;
        Unpaced = perSecond <= 0;
        _perTick = Unpaced ? 0 : (double)perSecond / ticksPerSecond;
        Burst = Unpaced ? 0 : Math.Max(1, perSecond / 50);
        _tokens = Burst;
        _last = start;
    }

    /// <summary>Datagrams that may leave at once after a pause.</summary>
    public int Burst { get; }

    public bool Unpaced { get; }

    /// <summary>Takes a turn to send one datagram now, or says how long until the next turn.</summary>
    /// <param name="cost">What the datagram counts for (<see cref="NetJournal.Protocol.RateCost"/>), as the server counts it.</param>
    public bool TryTake(out TimeSpan wait, double cost = 1) => TryTake(Stopwatch.GetTimestamp(), out wait, cost);

    internal bool TryTake(long now, out TimeSpan wait, double cost = 1)
    {
        wait = TimeSpan.Zero;
        if (Unpaced) return true;
        lock (_gate)
        {
            _tokens = Math.Min(Burst, _tokens + Math.Max(0, now - _last) * _perTick);
            _last = Math.Max(_last, now);
            if (_tokens >= cost)
            {
                _tokens -= cost;
                return true;
            }
            var ticks = (cost - _tokens) / _perTick;
            wait = TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(ticks / _ticksPerSecond * TimeSpan.TicksPerSecond)));
            return false;
        }
    }

    /// <summary>Waits for a turn to send one datagram.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken, double cost = 1)
    {
        // Task.Delay rounds a wait down to whole milliseconds: a shorter one would return at once and spin.
        while (!TryTake(out var wait, cost))
        {
            Interlocked.Increment(ref _sleeps);
            await Task.Delay(wait < MinWait ? MinWait : wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private long _sleeps;

    /// <summary>How many times <see cref="WaitAsync"/> slept.</summary>
    internal long Sleeps => Interlocked.Read(ref _sleeps);

    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(1);
}
