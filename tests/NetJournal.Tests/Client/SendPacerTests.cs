using CsCheck;
using NetJournal.Client;

namespace NetJournal.Tests.Client;

public class SendPacerTests
{
    private const long TicksPerSecond = 1_000_000;

    [Fact]
    public void A_full_bucket_lets_a_fiftieth_of_a_second_go_at_once_then_one_datagram_per_interval()
    {
        var pacer = new SendPacer(16_000, TicksPerSecond, start: 0);
        Assert.Equal(320, pacer.Burst);
        for (var i = 0; i < 320; i++) Assert.True(pacer.TryTake(0, out _), $"datagram {i} of the burst");
        Assert.False(pacer.TryTake(0, out var wait));
        // 16,000 a second is one every 62.5 µs.
        Assert.Equal(62.5, wait.TotalMicroseconds, 1);
        Assert.False(pacer.TryTake(62, out _));
        Assert.True(pacer.TryTake(63, out _));
        Assert.False(pacer.TryTake(63, out _));
    }

    [Fact]
    public void A_pause_refills_the_bucket_no_further_than_its_burst()
    {
        var pacer = new SendPacer(1_000, TicksPerSecond, start: 0);
        Assert.Equal(20, pacer.Burst);
        var granted = 0;
        while (pacer.TryTake(10 * TicksPerSecond, out _)) granted++;
        Assert.Equal(20, granted);
    }

    [Fact]
    public void Zero_means_unpaced()
    {
        var pacer = new SendPacer(0, TicksPerSecond, start: 0);
        Assert.True(pacer.Unpaced);
        for (var i = 0; i < 100_000; i++) Assert.True(pacer.TryTake(0, out _));
    }

    [Fact]
    public void Over_any_stretch_of_time_it_grants_at_most_the_burst_plus_the_rate_and_the_server_bucket_never_runs_dry()
    {
        // A server bucket of the same shape as the server's default (rate R, burst 2R) facing a client paced at 0.8R:
        // whatever the moments the client asks at, every datagram it sends finds a token.
        // Asks every 250 µs on average for up to 5 s, so the client wants more than it may have, for longer than the
        // server's two-second burst lasts.
        Gen.Select(Gen.Int[1, 3_000], Gen.Long[0, 500].Array[1, 20_000]).Sample((serverRate, gaps) =>
        {
            var clientRate = Math.Max(1, serverRate * 4 / 5);
            var pacer = new SendPacer(clientRate, TicksPerSecond, start: 0);
            double serverTokens = 2.0 * serverRate;
            long now = 0, last = 0, granted = 0;
            foreach (var gap in gaps)
            {
                now += gap;
                if (!pacer.TryTake(now, out var wait))
                {
                    Assert.True(wait > TimeSpan.Zero);
                    continue;
                }
                granted++;
                serverTokens = Math.Min(2.0 * serverRate, serverTokens + (now - last) * (double)serverRate / TicksPerSecond);
                last = now;
                Assert.True(serverTokens >= 1, $"the server would drop datagram {granted} at {now} µs");
                serverTokens -= 1;
            }
            Assert.InRange(granted, 0, pacer.Burst + (long)Math.Ceiling(now * (double)clientRate / TicksPerSecond));
        });
    }

    [Fact]
    public async Task Waiting_for_a_turn_sleeps_at_least_a_millisecond_at_a_time_instead_of_spinning()
    {
        // 2,000 a second is one turn every 0.5 ms, shorter than a timer can wait: a sleep rounded down to nothing would
        // come back at once, again and again, and count thousands of sleeps.
        var pacer = new SendPacer(2_000);
        const int Datagrams = 200;
        for (var i = 0; i < Datagrams; i++) await pacer.WaitAsync(CancellationToken.None);
        Assert.InRange(pacer.Sleeps, 1, Datagrams);
    }

    [Fact]
    public void A_datagram_that_costs_a_quarter_takes_a_quarter_of_a_turn()
    {
        var pacer = new SendPacer(1_000, TicksPerSecond, start: 0);
        var granted = 0;
        while (pacer.TryTake(0, out _, cost: 0.25)) granted++;
        Assert.Equal(4 * pacer.Burst, granted);
        Assert.False(pacer.TryTake(0, out var wait, cost: 0.25));
        // A quarter of a token at 1,000 a second: 250 µs.
        Assert.Equal(250, wait.TotalMicroseconds, 1);
        Assert.True(pacer.TryTake(250, out _, cost: 0.25));
    }
}
