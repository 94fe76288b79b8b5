using NetJournal.Client;

namespace NetJournal.Tests.Client;

public class RttEstimatorTests
{
    private static RttEstimator Make(int minMs = 5) =>
        new(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(minMs), TimeSpan.FromSeconds(2));

    [Fact]
    public void Before_any_sample_the_probe_timeout_is_the_initial_one_and_doubles_per_probe_up_to_the_max()
    {
        var rtt = Make();

        Assert.Equal(TimeSpan.FromMilliseconds(300), rtt.ProbeTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(300), rtt.LossDelay);
        Assert.Equal(
            [300.0, 600, 1_200, 2_000, 2_000],
            Enumerable.Range(0, 5).Select(probes => rtt.Backoff(probes).TotalMilliseconds));
    }

    [Fact]
    public void Samples_update_latest_min_smoothed_and_variation_as_rfc_9002_says()
    {
        var rtt = Make();

        // RFC 9002 5.3: the first sample sets smoothed = R and variation = R/2, so PTO = R + 4 R/2 = 3 R.
        rtt.Sample(TimeSpan.FromMilliseconds(100));
        Assert.Equal(100, rtt.Smoothed.TotalMilliseconds, 3);
        Assert.Equal(50, rtt.Variation.TotalMilliseconds, 3);
        Assert.Equal(300, rtt.ProbeTimeout.TotalMilliseconds, 3);

        // Then variation = 3/4 × 50 + 1/4 × |100 − 60| = 47.5 and smoothed = 7/8 × 100 + 1/8 × 60 = 95.
        rtt.Sample(TimeSpan.FromMilliseconds(60));
        Assert.Equal(60, rtt.Latest.TotalMilliseconds, 3);
        Assert.Equal(60, rtt.Min.TotalMilliseconds, 3);
        Assert.Equal(95, rtt.Smoothed.TotalMilliseconds, 3);
        Assert.Equal(47.5, rtt.Variation.TotalMilliseconds, 3);
        Assert.Equal(95 + 4 * 47.5, rtt.ProbeTimeout.TotalMilliseconds, 3);
        // The loss delay is 9/8 of the larger of smoothed and latest.
        Assert.Equal(95 * 9 / 8.0, rtt.LossDelay.TotalMilliseconds, 3);

        rtt.Sample(TimeSpan.FromMilliseconds(200));
        Assert.Equal(60, rtt.Min.TotalMilliseconds, 3);
        Assert.Equal(200 * 9 / 8.0, rtt.LossDelay.TotalMilliseconds, 3);
    }

    [Fact]
    public void A_loopback_round_trip_gives_a_probe_timeout_of_milliseconds_not_hundreds()
    {
        var rtt = Make(minMs: 5);
        for (var i = 0; i < 20; i++) rtt.Sample(TimeSpan.FromMilliseconds(0.1));

        Assert.Equal(TimeSpan.FromMilliseconds(5), rtt.ProbeTimeout);
        // The loss delay is not floored by the probe timeout's minimum, only by the timer granularity.
        Assert.Equal(RttEstimator.Granularity, rtt.LossDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(10), rtt.Backoff(1));
    }

    [Fact]
    public void A_non_positive_sample_is_ignored()
    {
        var rtt = Make();
        rtt.Sample(TimeSpan.Zero);
        rtt.Sample(TimeSpan.FromMilliseconds(-1));

        Assert.Equal(TimeSpan.Zero, rtt.Smoothed);
        Assert.Equal(TimeSpan.FromMilliseconds(300), rtt.ProbeTimeout);
    }
}
