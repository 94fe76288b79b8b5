namespace NetJournal.Client;

/// <summary>
/// Latencies in microseconds, counted in buckets instead of kept one by one: a writer of millions of notes would
/// otherwise hold millions of samples. Below 64 µs each microsecond has its own bucket; above, each power of two is
/// split into 64 equal buckets, so a percentile is off by less than 1/64 (1.6%). Histograms add up, so the
/// percentiles of several writers can be taken together.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int SubBucketBits = 6;
    // Up to 2^40 µs (12 days): every latency a client can see.
    private const int Powers = 40 - SubBucketBits + 1;

    private readonly long[] _counts = new long[SubBuckets * (Powers + 1)];
    private long _max;

    public long Count { get; private set; }

    public TimeSpan Max => TimeSpan.FromMicroseconds(_max);

    public void Record(TimeSpan latency, long count = 1) => Record((long)Math.Round(latency.TotalMicroseconds), count);

    public void Record(long micros, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        micros = Math.Clamp(micros, 0, (1L << 40) - 1);
        _counts[IndexOf(micros)] += count;
        Count += count;
        _max = Math.Max(_max, micros);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        _max = Math.Max(_max, other._max);
    }

    /// <summary>
    /// Nearest rank: the smallest latency with at least <paramref name="p"/> of the samples at or below it, given as
    /// the top of its bucket (never more than the largest sample). Zero when empty.
    /// </summary>
    public TimeSpan Percentile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        if (Count == 0) return TimeSpan.Zero;
        var rank = Math.Max(1, (long)Math.Ceiling(p * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return TimeSpan.FromMicroseconds(Math.Min(UpperOf(i), _max));
        }
        return Max;
    }

    /// <summary>The buckets that hold samples: the smallest latency each one counts, in µs, and how many it holds.</summary>
    public IEnumerable<(long LowestMicros, long Count)> Buckets()
    {
        for (var i = 0; i < _counts.Length; i++)
            if (_counts[i] > 0) yield return (LowerOf(i), _counts[i]);
    }

    private static int IndexOf(long micros)
    {
        if (micros < SubBuckets) return (int)micros;
        var power = 63 - (int)long.LeadingZeroCount(micros) - SubBucketBits; // 0 for 64..127
        return SubBuckets * (power + 1) + (int)(micros >> power) - SubBuckets;
    }

    private static long LowerOf(int index)
    {
        if (index < SubBuckets) return index;
        var power = index / SubBuckets - 1;
        return (long)(SubBuckets + index % SubBuckets) << power;
    }

    private static long UpperOf(int index) => index < SubBuckets ? index : LowerOf(index) + (1L << (index / SubBuckets - 1)) - 1;
}
