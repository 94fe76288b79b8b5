using NetJournal.Protocol;

namespace NetJournal.Web;

/// <summary>
/// What one web request may do. Name: the client name its notes are written under (null: the name the request gives).
/// ReadOnlyClient: when set, every read (notes, events, clients) is restricted to that client's notes. MayWrite: whether
/// POST /api/notes is allowed.
/// </summary>
public sealed record WebRights(string? Name, string? ReadOnlyClient, bool MayWrite)
{
    /// <summary>Everything: read all notes, write under any name (the open mode, without keys).</summary>
    public static readonly WebRights Everything = new(null, null, true);

    /// <summary>
    /// <paramref name="filter"/> narrowed to what these rights may read; null when they may read none of it (the filter
    /// asks for another client than the one allowed).
    /// </summary>
    public HistoryFilter? Restrict(HistoryFilter filter)
    {
        if (ReadOnlyClient is null) return filter;
        if (filter.Client is not null && !string.Equals(filter.Client, ReadOnlyClient, StringComparison.Ordinal)) return null;
        return filter with { Client = ReadOnlyClient };
    }
}
