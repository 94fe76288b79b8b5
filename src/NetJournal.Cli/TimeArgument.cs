using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace NetJournal.Cli;

/// <summary>Which end of a time range an argument bounds: the first instant it covers, or the first one after it.</summary>
public enum TimeBound
{
    /// <summary><c>--since</c>: a date means its first instant; a local time that occurs twice means the earlier one.</summary>
    Since,

    /// <summary><c>--until</c> (exclusive): a date means the start of the next day; a local time that occurs twice means the later one.</summary>
    Until,
}

/// <summary>
/// Reads <c>--since</c> and <c>--until</c> as people type them: a date (<c>2026-11-25</c>), a date and time
/// (<c>2026-11-25 14:30</c>, <c>2026-11-25T14:30:05.250</c>), either with an offset (<c>Z</c>, <c>+08:00</c>) or else
/// in the local time zone; <c>now</c>, <c>today</c>, <c>yesterday</c>; a span back from now (<c>-1h</c>, <c>-30m</c>,
/// <c>-2d</c>, <c>10 minutes ago</c>); or Unix seconds (<c>@1764472000</c>). Time zone rules (gaps and overlaps at
/// daylight saving changes) come from NodaTime, which applies the zone's rules as the IANA database has them.
/// </summary>
public static partial class TimeArgument
{
    private static readonly LocalDatePattern[] DatePatterns =
        [LocalDatePattern.CreateWithInvariantCulture("uuuu-MM-dd"), LocalDatePattern.CreateWithInvariantCulture("uuuu/MM/dd")];

    private static readonly LocalDateTimePattern[] DateTimePatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss;FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss;FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu/MM/dd HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu/MM/dd HH:mm:ss;FFFFFFFFF"),
    ];

    private static readonly OffsetPattern[] OffsetPatterns =
    [
        OffsetPattern.CreateWithInvariantCulture("+HH:mm"), OffsetPattern.CreateWithInvariantCulture("+HHmm"),
        OffsetPattern.CreateWithInvariantCulture("+HH"),
    ];

    /// <summary>Unix milliseconds for <paramref name="text"/>, read in <paramref name="zone"/> at the instant <paramref name="now"/>.</summary>
    /// <exception cref="FormatException">The text is not a time NetJournal reads, names a day that does not exist
    /// (<c>2026-02-29</c>), or a local time skipped by a daylight saving change; the message says which, in words for the user.</exception>
    public static long Parse(string text, DateTimeZone zone, Instant now, TimeBound bound)
    {
        var t = text.Trim();
        var lower = t.ToLowerInvariant();
        var today = now.InZone(zone).Date;
        switch (lower)
        {
            case "now": return now.ToUnixTimeMilliseconds();
            case "today": return StartOf(bound == TimeBound.Until ? today.PlusDays(1) : today, zone);
            case "yesterday": return StartOf(bound == TimeBound.Until ? today : today.PlusDays(-1), zone);
        }
        if (EpochSeconds().Match(t) is { Success: true } epoch)
        {
            var seconds = decimal.Parse(epoch.Groups[1].Value, CultureInfo.InvariantCulture);
            return (long)decimal.Round(seconds * 1000m);
        }
        if (SpanBack().Match(lower) is { Success: true } back)
            return (now - Span(back.Groups[1].Value, back.Groups[2].Value, t)).ToUnixTimeMilliseconds();
        if (SpanAgo().Match(lower) is { Success: true } ago)
            return (now - Span(ago.Groups[1].Value, ago.Groups[2].Value, t)).ToUnixTimeMilliseconds();

        var (local, offset) = SplitOffset(t);
        foreach (var pattern in DatePatterns)
        {
            if (pattern.Parse(local) is not { Success: true } date) continue;
            var day = bound == TimeBound.Until ? date.Value.PlusDays(1) : date.Value;
            // A date with an offset is that whole day in that offset.
            return offset is { } o ? day.AtMidnight().WithOffset(o).ToInstant().ToUnixTimeMilliseconds() : StartOf(day, zone);
        }
        foreach (var pattern in DateTimePatterns)
        {
            if (pattern.Parse(local) is not { Success: true } dateTime) continue;
            if (offset is { } o) return dateTime.Value.WithOffset(o).ToInstant().ToUnixTimeMilliseconds();
            return InZone(dateTime.Value, zone, bound, t).ToUnixTimeMilliseconds();
        }
        if (DateShape().Match(local) is { Success: true } dateShape)
        {
            // The day may be fine and the time of day not (25:00): say which.
            var dayOnly = dateShape.Value;
            var dayExists = DatePatterns.Any(p => p.Parse(dayOnly).Success);
            throw new FormatException(dayExists
                ? $"'{t}' is not a time of day (hours 00 to 23, minutes and seconds 00 to 59)"
                : $"'{t}' is not a day of the calendar (check the month and the day)");
        }
        throw new FormatException(
            $"'{t}' is not a time: give a date (2026-11-25), a date and time (\"2026-11-25 14:30\", with Z or +08:00 for an offset), " +
            "today, yesterday, a span back from now (-1h, -30m, -2d, \"10 minutes ago\") or @UNIX-SECONDS");
    }

    private static long StartOf(LocalDate day, DateTimeZone zone) => zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds();

    // At the end of daylight saving time a local time occurs twice: since takes the earlier, until the later, so the
    // range covers both. A local time skipped at its start does not exist, and guessing would move the bound by an hour.
    private static Instant InZone(LocalDateTime local, DateTimeZone zone, TimeBound bound, string text)
    {
        var mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            1 => mapping.Single().ToInstant(),
            2 => (bound == TimeBound.Since ? mapping.First() : mapping.Last()).ToInstant(),
            _ => throw new FormatException(
                $"'{text}' does not exist in time zone {zone.Id}: the clocks skip that hour at the start of daylight saving time " +
                "(give an offset, such as +01:00, to mean an instant)"),
        };
    }

    private static Duration Span(string amount, string unit, string text)
    {
        if (!long.TryParse(amount, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000)
            throw new FormatException($"'{text}' is too far back");
        return unit switch
        {
            "s" or "sec" or "secs" or "second" or "seconds" => Duration.FromSeconds(n),
            "m" or "min" or "mins" or "minute" or "minutes" => Duration.FromMinutes(n),
            "h" or "hr" or "hrs" or "hour" or "hours" => Duration.FromHours(n),
            "d" or "day" or "days" => Duration.FromDays(n),
            "w" or "week" or "weeks" => Duration.FromDays(7 * n),
            _ => throw new FormatException($"'{text}': {unit} is not a unit of time (s, m, h, d, w)"),
        };
    }

    private static (string Local, Offset? Offset) SplitOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z')) return (text[..^1].TrimEnd(), Offset.Zero);
        if (TrailingOffset().Match(text) is { Success: true } m)
        {
            foreach (var pattern in OffsetPatterns)
                if (pattern.Parse(m.Groups[2].Value) is { Success: true } offset) return (m.Groups[1].Value.TrimEnd(), offset.Value);
            throw new FormatException($"'{text}': {m.Groups[2].Value} is not an offset (+08:00, -05:00, Z)");
        }
        return (text, null);
    }

    [GeneratedRegex(@"^@(\d{1,12}(?:\.\d{1,9})?)$")]
    private static partial Regex EpochSeconds();

    [GeneratedRegex(@"^-\s*(\d+)\s*([a-z]+)$")]
    private static partial Regex SpanBack();

    [GeneratedRegex(@"^(\d+)\s*([a-z]+)\s+ago$")]
    private static partial Regex SpanAgo();

    // An offset after a time (…14:30+08:00) or after a date (…-30+08:00); a date's own dashes are not one.
    [GeneratedRegex(@"^(.*(?:\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\d{4}[-/]\d{2}[-/]\d{2}))\s*([+-]\d{2}(?::?\d{2})?)$")]
    private static partial Regex TrailingOffset();

    [GeneratedRegex(@"^\d{4}[-/]\d{1,2}[-/]\d{1,2}")]
    private static partial Regex DateShape();
}
