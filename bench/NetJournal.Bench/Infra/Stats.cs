namespace NetJournal.Bench.Infra;

/// <summary>Order statistics of a sample, nearest-rank percentiles.</summary>
internal sealed record LatencySummary(int Count, double MinMs, double MedianMs, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs)
{
    public static LatencySummary Of(IReadOnlyCollection<double> samplesMs)
    {
        if (samplesMs.Count == 0) return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = samplesMs.Order().ToArray();
        return new LatencySummary(sorted.Length, sorted[0], Percentile(sorted, 0.5), Percentile(sorted, 0.9),
            Percentile(sorted, 0.99), Percentile(sorted, 0.999), sorted[^1], sorted.Average());
    }

    /// <summary>From a histogram: its percentiles are the tops of their buckets (within 1/64); no mean.</summary>
    public static LatencySummary Of(NetJournal.Client.LatencyHistogram h) => h.Count == 0
        ? Of([])
        : new LatencySummary((int)Math.Min(int.MaxValue, h.Count), Ms(h.Percentile(0)), Ms(h.Percentile(0.5)), Ms(h.Percentile(0.9)),
            Ms(h.Percentile(0.99)), Ms(h.Percentile(0.999)), Ms(h.Max), double.NaN);

    private static double Ms(TimeSpan t) => t.TotalMilliseconds;

    /// <summary>Nearest rank: the smallest sample with at least p of the samples at or below it.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
