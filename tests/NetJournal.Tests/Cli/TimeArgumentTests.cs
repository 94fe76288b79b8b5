using NetJournal.Cli;
using NodaTime;

namespace NetJournal.Tests.Cli;

public class TimeArgumentTests
{
    private static readonly DateTimeZone Utc = DateTimeZone.Utc;
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 30, 12, 0, 0);

    private static long Ms(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) =>
        Instant.FromUtc(y, mo, d, h, mi, s).ToUnixTimeMilliseconds();

    private static long Since(string text, DateTimeZone? zone = null) => TimeArgument.Parse(text, zone ?? Utc, Now, TimeBound.Since);

    private static long Until(string text, DateTimeZone? zone = null) => TimeArgument.Parse(text, zone ?? Utc, Now, TimeBound.Until);

    [Fact]
    public void A_date_with_an_offset_is_that_whole_day_in_that_offset()
    {
        Assert.Equal(Ms(2026, 11, 30), Since("2026-11-30Z"));
        Assert.Equal(Ms(2026, 12, 1), Until("2026-11-30Z"));
        Assert.Equal(Ms(2026, 11, 29, 16), Since("2026-11-30+08:00", Berlin));
        Assert.Equal(Ms(2026, 11, 30, 16), Until("2026-11-30+08:00", Berlin));
    }

    [Fact]
    public void A_date_alone_is_the_whole_local_day()
    {
        Assert.Equal(Ms(2026, 11, 29, 23), Since("2026-11-30", Berlin));
        Assert.Equal(Ms(2026, 11, 30, 23), Until("2026-11-30", Berlin));
        Assert.Equal(Ms(2026, 11, 25), Since("2026/11/25"));
    }

    [Theory]
    [InlineData("2026-11-25 14:30", 14, 30, 0)]
    [InlineData("2026-11-25T14:30:05", 14, 30, 5)]
    [InlineData("2026-11-25 14:30:05.250", 14, 30, 5)]
    [InlineData("2026-11-25T14:30Z", 14, 30, 0)]
    [InlineData("2026-11-25 22:30+08:00", 14, 30, 0)]
    [InlineData("2026-11-25T09:30-0500", 14, 30, 0)]
    public void A_date_and_time_is_read_in_its_offset_or_the_zone(string text, int h, int m, int s)
    {
        var expected = Ms(2026, 11, 25, h, m, s) + (text.EndsWith(".250") ? 250 : 0);
        Assert.Equal(expected, Since(text));
    }

    [Fact]
    public void A_local_time_that_occurs_twice_is_the_earlier_for_since_and_the_later_for_until()
    {
        // 2026-10-25 02:30 in Berlin happens at 00:30 UTC (summer time) and again at 01:30 UTC (winter time).
        Assert.Equal(Ms(2026, 10, 25, 0, 30), Since("2026-10-25 02:30", Berlin));
        Assert.Equal(Ms(2026, 10, 25, 1, 30), Until("2026-10-25 02:30", Berlin));
    }

    [Fact]
    public void A_local_time_skipped_by_daylight_saving_is_an_error_that_says_why()
    {
        var e = Assert.Throws<FormatException>(() => Since("2026-03-29 02:30", Berlin));
        Assert.Contains("does not exist in time zone Europe/Berlin", e.Message);
    }

    [Theory]
    [InlineData("now", 0)]
    [InlineData("-1h", 3600)]
    [InlineData("-30m", 1800)]
    [InlineData("-2d", 2 * 86400)]
    [InlineData("- 45 s", 45)]
    [InlineData("10 minutes ago", 600)]
    [InlineData("1 hour ago", 3600)]
    [InlineData("3 weeks ago", 21 * 86400)]
    [InlineData("-1w", 7 * 86400)]
    public void Relative_times_count_back_from_now(string text, long secondsBack)
    {
        Assert.Equal(Now.ToUnixTimeMilliseconds() - secondsBack * 1000, Since(text));
    }

    [Fact]
    public void Today_and_yesterday_are_local_days()
    {
        Assert.Equal(Ms(2026, 11, 29, 23), Since("today", Berlin));
        Assert.Equal(Ms(2026, 11, 30, 23), Until("today", Berlin));
        Assert.Equal(Ms(2026, 11, 28, 23), Since("Yesterday", Berlin));
        Assert.Equal(Ms(2026, 11, 29, 23), Until("yesterday", Berlin));
    }

    [Fact]
    public void Unix_seconds_after_an_at_sign()
    {
        Assert.Equal(1_764_472_000_000, Since("@1764472000"));
        Assert.Equal(1_764_472_000_500, Since("@1764472000.5"));
    }

    [Theory]
    [InlineData("2026-02-29", "not a day of the calendar")]
    [InlineData("2026-13-01", "not a day of the calendar")]
    [InlineData("2026-11-25 25:00", "is not a time of day")]
    [InlineData("tomorrowish", "is not a time")]
    [InlineData("10 fortnights ago", "not a unit of time")]
    [InlineData("2026-11-25 14:30+25:00", "not an offset")]
    [InlineData("", "is not a time")]
    public void What_cannot_be_read_is_refused_in_words(string text, string why)
    {
        var e = Assert.Throws<FormatException>(() => Since(text));
        Assert.Contains(why, e.Message);
        Assert.DoesNotContain("NodaTime", e.Message);
    }
}
