using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace NetJournal.Server.Bot;

/// <summary>
/// Finds the days a question is about, in the server's time zone (NodaTime, so a day is midnight to midnight even
/// across a daylight-saving change): today, yesterday, this week (ISO: from Monday), this month, a date
/// (<c>2026-11-30</c>, <c>2026/11/30</c>) or, in Chinese, 今天, 昨天, 本周/这周, 本月, <c>11月30日</c> (this year).
/// </summary>
public sealed partial class QuestionDates(DateTimeZone zone, TimeProvider time)
{
    public DateTimeZone Zone => zone;

    /// <summary>The days named in <paramref name="question"/>, or null when it names none (or a day not in the calendar).</summary>
    public DayRange? Find(string question)
    {
        var today = Today();
        if (IsoDate().Match(question) is { Success: true } iso)
            return Day(iso.Groups[1].Value, iso.Groups[2].Value, iso.Groups[3].Value);
        if (ChineseDate().Match(question) is { Success: true } zh)
            return Day(today.Year.ToString(CultureInfo.InvariantCulture), zh.Groups[1].Value, zh.Groups[2].Value);
        if (Today_().IsMatch(question)) return Range(today, today.PlusDays(1), "today", "今天");
        if (Yesterday().IsMatch(question)) return Range(today.PlusDays(-1), today, "yesterday", "昨天");
        if (ThisWeek().IsMatch(question))
        {
            var monday = today.PlusDays(-((int)today.DayOfWeek - 1));
            return Range(monday, today.PlusDays(1), "this week", "本周");
        }
        if (ThisMonth().IsMatch(question))
            return Range(new LocalDate(today.Year, today.Month, 1), today.PlusDays(1), "this month", "本月");
        return null;
    }

    /// <summary>Today's date in the server's zone.</summary>
    public LocalDate Today() => Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;

    /// <summary>A time (Unix ms) as the server's zone shows it: <c>2026-11-30 14:05</c>.</summary>
    public string Format(long timeMs) =>
        Instant.FromUnixTimeMilliseconds(timeMs).InZone(zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private DayRange? Day(string year, string month, string day)
    {
        if (!int.TryParse(year, CultureInfo.InvariantCulture, out var y) || !int.TryParse(month, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(day, CultureInfo.InvariantCulture, out var d) || y is < 1 or > 9999 || m is < 1 or > 12
            || d < 1 || d > CalendarSystem.Iso.GetDaysInMonth(y, m))
            return null;
        var date = new LocalDate(y, m, d);
        var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Range(date, date.PlusDays(1), "on " + text, text);
    }

    private DayRange Range(LocalDate from, LocalDate until, string english, string chinese) =>
        new(Start(from), Start(until), english, chinese);

    private long Start(LocalDate date) => zone.AtStartOfDay(date).ToInstant().ToUnixTimeMilliseconds();

    [GeneratedRegex(@"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")]
    private static partial Regex ChineseDate();

    [GeneratedRegex(@"\btoday\b|今天|今日", RegexOptions.IgnoreCase)]
    private static partial Regex Today_();

    [GeneratedRegex(@"\byesterday\b|昨天|昨日", RegexOptions.IgnoreCase)]
    private static partial Regex Yesterday();

    [GeneratedRegex(@"\bthis week\b|本周|这周|这星期|本星期|这个星期|这礼拜", RegexOptions.IgnoreCase)]
    private static partial Regex ThisWeek();

    [GeneratedRegex(@"\bthis month\b|本月|这个月", RegexOptions.IgnoreCase)]
    private static partial Regex ThisMonth();
}
