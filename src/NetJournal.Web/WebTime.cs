using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace NetJournal.Web;

/// <summary>
/// The times the web API takes for since and until: ISO 8601 with an offset (<c>2026-11-25T14:30:05Z</c>,
/// <c>2026-11-25T14:30:05.250+08:00</c>); a date and time without an offset (<c>2026-11-25T14:30</c>), read as UTC;
/// a date alone (<c>2026-11-25</c>), the start of that UTC day for since and the end of it for until, so that day
/// is included; or Unix seconds (<c>@1764472000</c>). The page sends its local times with the browser's offset.
/// </summary>
public static class WebTime
{
    private static readonly OffsetDateTimePattern WithOffset = OffsetDateTimePattern.ExtendedIso;
    private static readonly LocalDateTimePattern WithoutOffset = LocalDateTimePattern.ExtendedIso;
    private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDatePattern DateOnly = LocalDatePattern.Iso;

    /// <summary>The form a refused time is told to take.</summary>
    public const string Forms = "ISO 8601 such as 2026-11-25T14:30:00Z or 2026-11-25T14:30:00+08:00, a date such as 2026-11-25, or Unix seconds such as @1764472000";

    /// <summary>
    /// Unix milliseconds of <paramref name="text"/>; <paramref name="endOfDay"/> makes a date alone mean the end of that
    /// day (for until, which is exclusive). False when it is none of the forms (<see cref="Forms"/>).
    /// </summary>
    public static bool TryParse(string text, bool endOfDay, out long unixMs)
    {
        unixMs = 0;
        text = text.Trim();
        if (text.StartsWith('@'))
        {
            if (!long.TryParse(text.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                || seconds is < -62_135_596_800 or > 253_402_300_799) return false;
            unixMs = seconds * 1000;
            return true;
        }
        if (WithOffset.Parse(text) is { Success: true } offset)
        {
            unixMs = offset.Value.ToInstant().ToUnixTimeMilliseconds();
            return true;
        }
        if ((WithoutOffset.Parse(text) is { Success: true } local ? local : Minutes.Parse(text)) is { Success: true } utc)
        {
            unixMs = utc.Value.InUtc().ToInstant().ToUnixTimeMilliseconds();
            return true;
        }
        if (DateOnly.Parse(text) is { Success: true } date)
        {
            var day = endOfDay ? date.Value.PlusDays(1) : date.Value;
            unixMs = day.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }
}
