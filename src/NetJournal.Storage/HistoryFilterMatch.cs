using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// Whether one note, outside any store, matches a <see cref="HistoryFilter"/> by the rules history applies
/// (<see cref="HistoryMatcher"/>): the client name exactly, the address as an IP (any port) or the exact IP:port,
/// SinceMs &lt;= time &lt; UntilMs, and grep contained case-insensitively. For notes seen live, after their commit.
/// </summary>
public static class HistoryFilterMatch
{
    /// <summary>True when the note with these fields would be in a history read with <paramref name="filter"/>.</summary>
    public static bool Matches(HistoryFilter filter, string client, string address, long timeMs, string text) =>
        (filter.Client is null || string.Equals(filter.Client, client, StringComparison.Ordinal))
        && (filter.Address is null || HistoryMatcher.AddressMatches(address, filter.Address))
        && (filter.SinceMs is not { } since || timeMs >= since)
        && (filter.UntilMs is not { } until || timeMs < until)
        && (string.IsNullOrEmpty(filter.Grep) || text.Contains(filter.Grep, StringComparison.OrdinalIgnoreCase));
}
