namespace NetJournal.Protocol;

/// <summary>
/// Which notes a history or count request wants. Null means "any". Address matches the source IP
/// or the exact IP:port; Grep matches the text case-insensitively; times are Unix milliseconds, Until exclusive.
/// </summary>
public sealed record HistoryFilter(string? Client = null, string? Address = null, long? SinceMs = null, long? UntilMs = null, string? Grep = null)
{
    public static readonly HistoryFilter None = new();

    public bool IsEmpty => Client is null && Address is null && SinceMs is null && UntilMs is null && Grep is null;
}
