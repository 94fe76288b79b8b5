using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// Which committed notes a follower is pushed: every one of its conditions must hold. Made from the filter of a
/// Follow (client, address, grep, since, until as history reads them, protocol §4.5), and narrowed by the server with
/// more conditions (<see cref="Narrow"/>: a journal whose clients may read only their own notes adds one), so what a
/// follower may see is decided in this one object. Used on the registry's task only.
/// </summary>
public sealed class FollowFilter
{
    private readonly HistoryFilter[] _all;

    // Notes come from few sources: whether each matches an address filter is worked out once.
    private readonly Dictionary<string, bool> _addresses = new(StringComparer.Ordinal);

    /// <summary>A follower's filter as its Follow asked; <see cref="HistoryFilter.None"/> follows every note.</summary>
    public FollowFilter(HistoryFilter filter) : this([filter])
    {
    }

    private FollowFilter(HistoryFilter[] all) => _all = all;

    /// <summary>The conditions, every one of which must hold.</summary>
    public IReadOnlyList<HistoryFilter> Conditions => _all;

    /// <summary>This filter with <paramref name="more"/> also required.</summary>
    public FollowFilter Narrow(HistoryFilter more) => new([.. _all, more]);

    /// <summary>Whether <paramref name="note"/> is to be pushed: as <c>history</c> with the same filter would return it.</summary>
    public bool Matches(in CommittedNote note)
    {
        foreach (var f in _all)
        {
            if (f.Client is { } client && !string.Equals(note.Client, client, StringComparison.Ordinal)) return false;
            if (f.SinceMs is { } since && note.TimeMs < since) return false;
            if (f.UntilMs is { } until && note.TimeMs >= until) return false;
            if (f.Address is { } address && !AddressMatches(note.Address, address)) return false;
            if (!string.IsNullOrEmpty(f.Grep) && !note.Text.Contains(f.Grep, StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    private bool AddressMatches(string stored, string wanted)
    {
        if (_addresses.TryGetValue(stored, out var known)) return known;
        if (_addresses.Count >= 4096) _addresses.Clear();
        var match = AddressMatch.Matches(stored, wanted);
        // With several address conditions the cache would mix them; one is the only case a Follow makes.
        if (_all.Count(f => f.Address is not null) == 1) _addresses[stored] = match;
        return match;
    }
}
