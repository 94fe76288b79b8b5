using NetJournal.Client;

namespace NetJournal.Tests.Client;

public class LossRuleTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);

    [Theory]
    // Sent 3 or more transmissions before the latest answered one: lost at once, whatever the time.
    [InlineData(1, 4, 0, true)]
    [InlineData(1, 9, 0, true)]
    // Fewer: reordering, not loss, until the loss delay has passed since it was sent.
    [InlineData(2, 4, 0, false)]
    [InlineData(2, 4, 9, false)]
    [InlineData(2, 4, 10, true)]
    // Nothing later answered: only a probe timeout can tell.
    [InlineData(4, 4, 1_000, false)]
    [InlineData(5, 4, 1_000, false)]
    [InlineData(1, 0, 1_000, false)]
    public void A_transmission_is_lost_by_the_packet_or_the_time_threshold(long sent, long largestAnswered, int msSinceSent, bool lost)
    {
        var sentAt = TimeSpan.FromSeconds(1);
        var now = sentAt + TimeSpan.FromMilliseconds(msSinceSent);

        Assert.Equal(lost, LossRule.IsLost(sent, sentAt, largestAnswered, now, Delay, out var lostAt));
        if (sent < largestAnswered && sent + LossRule.PacketThreshold > largestAnswered) Assert.Equal(sentAt + Delay, lostAt);
        if (sent >= largestAnswered) Assert.Equal(TimeSpan.MaxValue, lostAt);
    }
}
