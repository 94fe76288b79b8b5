using System.Net;
using NetJournal.Server;

namespace NetJournal.Tests.Server;

public class SourceRateLimiterTests
{
    // Timestamps in milliseconds, so the arithmetic in the tests reads plainly.
    private const long Second = 1000;

    private static readonly UInt128 A = SourceRateLimiter.KeyOf(IPAddress.Parse("192.0.2.1"));
    private static readonly UInt128 B = SourceRateLimiter.KeyOf(IPAddress.Parse("192.0.2.2"));

    private static int Accepted(SourceRateLimiter limiter, UInt128 source, int tries, long now)
    {
        var accepted = 0;
        for (var i = 0; i < tries; i++)
            if (limiter.TryAcquire(source, now)) accepted++;
        return accepted;
    }

    [Fact]
    public void A_new_source_gets_the_burst_at_once_then_nothing_until_time_passes()
    {
        var limiter = new SourceRateLimiter(perSecond: 100, burst: 200, ticksPerSecond: Second);
        Assert.Equal(200, Accepted(limiter, A, 1000, now: 0));
        Assert.False(limiter.TryAcquire(A, 0));
    }

    [Fact]
    public void Tokens_come_back_at_the_rate_and_never_above_the_burst()
    {
        var limiter = new SourceRateLimiter(perSecond: 100, burst: 200, ticksPerSecond: Second);
        Accepted(limiter, A, 200, now: 0);
        Assert.Equal(50, Accepted(limiter, A, 1000, now: Second / 2));
        Assert.Equal(1, Accepted(limiter, A, 10, now: Second / 2 + 10));
        // An hour idle refills to the burst, not to 360,000.
        Assert.Equal(200, Accepted(limiter, A, 1000, now: 3600 * Second));
    }

    [Fact]
    public void A_steady_sender_at_the_rate_is_never_dropped_and_a_flooder_gets_only_the_rate()
    {
        var limiter = new SourceRateLimiter(perSecond: 100, burst: 200, ticksPerSecond: Second);
        var honest = 0;
        var flood = 0;
        for (long ms = 0; ms < 10 * Second; ms++)
        {
            if (ms % 10 == 0 && limiter.TryAcquire(A, ms)) honest++;
            flood += Accepted(limiter, B, 50, ms);
        }
        Assert.Equal(1000, honest);
        Assert.InRange(flood, 200 + 1000 - 2, 200 + 1000);
    }

    [Fact]
    public void The_port_does_not_matter_but_the_ip_does_and_ipv4_equals_its_mapped_ipv6_form()
    {
        var v4 = SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 1).Serialize());
        Assert.Equal(v4, SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 65535).Serialize()));
        Assert.Equal(v4, SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.7"), 9).Serialize()));
        Assert.NotEqual(v4, SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("198.51.100.8"), 1).Serialize()));
        var v6 = SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1).Serialize());
        Assert.Equal(UInt128.Parse("20010db8000000000000000000000001", System.Globalization.NumberStyles.HexNumber), v6);
        Assert.Equal(v6, SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 2).Serialize()));
    }

    [Fact]
    public void Sources_are_limited_separately()
    {
        var limiter = new SourceRateLimiter(perSecond: 10, burst: 10, ticksPerSecond: Second);
        Assert.Equal(10, Accepted(limiter, A, 100, now: 0));
        Assert.Equal(10, Accepted(limiter, B, 100, now: 0));
    }

    [Fact]
    public void A_flood_of_forged_sources_never_tracks_more_than_the_cap_and_an_active_flooder_keeps_its_empty_bucket()
    {
        // Microsecond timestamps: each forged datagram comes a tick after the previous one, as real clocks give.
        var limiter = new SourceRateLimiter(perSecond: 10, burst: 10, maxSources: 1000, ticksPerSecond: 1_000_000);
        long now = 0;
        for (var i = 0; i < 100_000; i++, now++)
        {
            limiter.TryAcquire((UInt128)(i + 1_000_000), now);
            // The real flooder A sends among them all along.
            if (i % 10 == 0) limiter.TryAcquire(A, now);
            Assert.InRange(limiter.TrackedSources, 1, 1000);
        }
        Assert.True(limiter.Evicted >= 99_000, $"evicted {limiter.Evicted}");
        // A was never among the least recently seen, so it is still limited rather than handed a fresh burst.
        Assert.False(limiter.TryAcquire(A, now));
    }

    [Fact]
    public void Idle_full_buckets_are_forgotten_first()
    {
        var limiter = new SourceRateLimiter(perSecond: 10, burst: 10, maxSources: 4, ticksPerSecond: Second);
        for (var i = 0; i < 3; i++) limiter.TryAcquire((UInt128)i, 0);
        Accepted(limiter, A, 100, now: 0);
        // Ten seconds later the three refilled; A has been sending and is empty again.
        Accepted(limiter, A, 200, now: 10 * Second);
        limiter.TryAcquire(B, 10 * Second);
        Assert.Equal(2, limiter.TrackedSources);
        Assert.False(limiter.TryAcquire(A, 10 * Second));
    }

    [Fact]
    public void Drops_are_reported_at_most_once_a_minute_with_the_count_since_the_last_report()
    {
        var limiter = new SourceRateLimiter(perSecond: 1, burst: 1, ticksPerSecond: Second);
        Assert.False(limiter.TakeReport(0, out _));
        Accepted(limiter, A, 5, now: 0);
        Assert.True(limiter.TakeReport(0, out var dropped));
        Assert.Equal(4, dropped);
        Accepted(limiter, A, 5, now: 0);
        Assert.False(limiter.TakeReport(59 * Second, out _));
        Assert.True(limiter.TakeReport(60 * Second, out dropped));
        Assert.Equal(5, dropped);
        Assert.False(limiter.TakeReport(200 * Second, out _));
    }

    [Fact]
    public void A_datagram_that_costs_a_quarter_lets_four_through_for_each_token()
    {
        var limiter = new SourceRateLimiter(perSecond: 100, burst: 200, ticksPerSecond: Second);
        var accepted = 0;
        for (var i = 0; i < 1000; i++)
            if (limiter.TryAcquire(A, 0, cost: 0.25)) accepted++;
        Assert.Equal(800, accepted);
        // One second later: 100 tokens, so 400 quarter-cost datagrams, or 100 whole ones.
        Assert.Equal(100, Accepted(limiter, A, 1000, now: Second));
        Assert.False(limiter.TryAcquire(A, Second, cost: 0.25));
    }
}
