using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>A history filter resolved against the index once per request, so each entry is tested with integer compares.</summary>
internal sealed class HistoryMatcher
{
    private readonly int _clientId = -1;
    private readonly HashSet<int>? _addressIds;
    private readonly long _since = long.MinValue;
    private readonly long _until = long.MaxValue;

    public HistoryMatcher(HistoryFilter filter, StringTable clients, StringTable addresses)
    {
        Grep = string.IsNullOrEmpty(filter.Grep) ? null : filter.Grep;
        if (filter.Client is { } name)
        {
            MatchesNothing = !clients.TryGetId(name, out _clientId);
        }
        if (filter.Address is { } address)
        {
            _addressIds = addresses.Where(a => AddressMatches(a, address));
            MatchesNothing |= _addressIds.Count == 0;
        }
        if (filter.SinceMs is { } since) _since = since;
        if (filter.UntilMs is { } until) _until = until;
        MatchesEverything = filter.Client is null && filter.Address is null && filter.SinceMs is null && filter.UntilMs is null && Grep is null;
    }

    public bool MatchesNothing { get; }

    /// <summary>No filter at all: every entry matches, so a count needs no scan.</summary>
    public bool MatchesEverything { get; }

    /// <summary>Needs the note's text from the file to decide.</summary>
    public string? Grep { get; }

    public bool MatchesIndex(in IndexEntry e) =>
        (_clientId < 0 || e.ClientId == _clientId)
        && (_addressIds is null || _addressIds.Contains(e.AddressId))
        && e.TimeMs >= _since && e.TimeMs < _until;

    public bool MatchesText(string text) => Grep is null || text.Contains(Grep, StringComparison.OrdinalIgnoreCase);

    /// <summary>"IP" matches that IP on any port; "IP:port" matches exactly (<see cref="AddressMatch"/>).</summary>
    public static bool AddressMatches(string stored, string wanted) => AddressMatch.Matches(stored, wanted);
}
