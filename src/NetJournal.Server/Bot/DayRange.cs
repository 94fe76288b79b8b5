namespace NetJournal.Server.Bot;

/// <summary>
/// A span of days a question is about, in the server's time zone: [SinceMs, UntilMs) in Unix milliseconds, and how
/// to say it in each language ("today" / "今天", "on 2026-11-30" / "2026-11-30").
/// </summary>
public sealed record DayRange(long SinceMs, long UntilMs, string English, string Chinese)
{
    public string Say(bool chinese) => chinese ? Chinese : English;
}
