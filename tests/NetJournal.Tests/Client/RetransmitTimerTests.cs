using NetJournal.Client;

namespace NetJournal.Tests.Client;

public class RetransmitTimerTests
{
    [Fact]
    public void Backoff_doubles_the_current_timeout_for_every_retry_and_stops_at_the_max()
    {
        var timer = new RetransmitTimer(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromMilliseconds(300), timer.Current);
        Assert.Equal(
            [600.0, 1_200, 2_000, 2_000, 2_000],
            Enumerable.Range(1, 5).Select(attempt => timer.Backoff(attempt).TotalMilliseconds));
    }

    [Fact]
    public void A_measured_round_trip_sets_the_timeout_to_the_smoothed_rtt_plus_four_deviations_within_the_bounds()
    {
        var timer = new RetransmitTimer(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));

        // RFC 6298 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 3 R.
        timer.Sample(TimeSpan.FromMilliseconds(100));
        Assert.Equal(300, timer.Current.TotalMilliseconds, 3);

        // A fast path is floored at the minimum.
        var fast = new RetransmitTimer(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));
        fast.Sample(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), fast.Current);
    }
}
