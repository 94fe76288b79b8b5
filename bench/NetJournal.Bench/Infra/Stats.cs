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

    /// <summary>Nearest rank: the smallest sample with at least p of the samples at or below it.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
