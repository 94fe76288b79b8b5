using CsCheck;
using NetJournal.Client;

namespace NetJournal.Tests.Client;

public class LatencyHistogramTests
{
    [Fact]
    public void Below_64_microseconds_every_value_is_exact()
    {
        var h = new LatencyHistogram();
        for (var us = 1; us <= 50; us++) h.Record(us);
        Assert.Equal(50, h.Count);
        Assert.Equal(TimeSpan.FromMicroseconds(25), h.Percentile(0.5));
        Assert.Equal(TimeSpan.FromMicroseconds(50), h.Percentile(0.99));
        Assert.Equal(TimeSpan.FromMicroseconds(1), h.Percentile(0));
        Assert.Equal(TimeSpan.FromMicroseconds(50), h.Max);
    }

    [Fact]
    public void Percentiles_are_within_one_64th_of_the_nearest_rank_sample()
    {
        Gen.Long[0, 10_000_000].Array[1, 400].Sample(samples =>
        {
            var h = new LatencyHistogram();
            foreach (var s in samples) h.Record(s);
            var sorted = samples.Order().ToArray();
            foreach (var p in new[] { 0.0, 0.5, 0.9, 0.99, 0.999, 1.0 })
            {
                var exact = sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
                var got = (long)h.Percentile(p).TotalMicroseconds;
                Assert.InRange(got, exact, exact + exact / 64);
            }
            Assert.Equal(sorted[^1], (long)h.Max.TotalMicroseconds);
        });
    }

    [Fact]
    public void Histograms_added_or_rebuilt_from_their_buckets_equal_one_fed_every_sample()
    {
        Gen.Select(Gen.Long[0, 5_000_000].Array[1, 200], Gen.Long[0, 5_000_000].Array[1, 200]).Sample((a, b) =>
        {
            var all = new LatencyHistogram();
            var left = new LatencyHistogram();
            var right = new LatencyHistogram();
            foreach (var s in a) { left.Record(s); all.Record(s); }
            foreach (var s in b) { right.Record(s); all.Record(s); }
            var sum = new LatencyHistogram();
            sum.Add(left);
            sum.Add(right);
            var rebuilt = new LatencyHistogram();
            foreach (var (lowest, count) in left.Buckets().Concat(right.Buckets())) rebuilt.Record(lowest, count);
            Assert.Equal(all.Buckets(), sum.Buckets());
            Assert.Equal(all.Buckets(), rebuilt.Buckets());
            Assert.Equal(all.Count, rebuilt.Count);
            foreach (var p in new[] { 0.5, 0.9, 0.99, 0.999 }) Assert.Equal(all.Percentile(p), sum.Percentile(p));
            Assert.Equal(all.Max, sum.Max);
        });
    }

    [Fact]
    public void A_count_records_that_many_samples_and_empty_gives_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(TimeSpan.Zero, h.Percentile(0.5));
        h.Record(TimeSpan.FromMilliseconds(2), 99);
        h.Record(TimeSpan.FromMilliseconds(40));
        Assert.Equal(100, h.Count);
        Assert.InRange(h.Percentile(0.99).TotalMilliseconds, 2.0, 2.0 * 65 / 64);
        Assert.Equal(TimeSpan.FromMilliseconds(40), h.Percentile(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Record(5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(1.5));
    }
}
