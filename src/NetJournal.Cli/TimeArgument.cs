using System.Globalization;

namespace NetJournal.Cli;

/// <summary>Reads --since/--until: a date, or a date and time, in local time unless it names an offset (Z, +08:00).</summary>
public static class TimeArgument
{
    private static readonly string[] DateOnlyFormats = ["yyyy-MM-dd", "yyyy/MM/dd"];

    /// <summary>Unix milliseconds. A date alone means the start of that day, or for an end bound the start of the next day.</summary>
    public static long Parse(string text, TimeZoneInfo zone, bool endOfDay)
    {
        text = text.Trim();
        if (DateTime.TryParseExact(text, DateOnlyFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return ToUnixMs(endOfDay ? date.AddDays(1) : date, zone);
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$");
        if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            return withOffset.ToUnixTimeMilliseconds();
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return ToUnixMs(local, zone);
        throw new FormatException($"'{text}' is not a date (2026-11-25) or a date and time (2026-11-25 14:30)");
    }

    private static long ToUnixMs(DateTime local, TimeZoneInfo zone) =>
        new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
}
