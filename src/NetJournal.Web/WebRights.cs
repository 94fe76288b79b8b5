using NetJournal.Protocol;
using NetJournal.Server.Keys;

namespace NetJournal.Web;

/// <summary>
/// What one web request may do. Name: the client name its notes are written under (null: the name the request gives).
/// Scope: the notes it may read, as for a UDP reader (<see cref="ReadScope"/>: every note, its own, or none; the
/// narrower right already won when the clients file was read). MayWrite: whether POST /api/notes is allowed.
/// </summary>
public sealed record WebRights(string? Name, ReadScope Scope, bool MayWrite)
{
    /// <summary>Everything: read all notes, write under any name (the open mode, without keys).</summary>
    public static readonly WebRights Everything = new(null, ReadScope.All, true);

    /// <summary>The rights of a keyed client's line: its name, its read scope, its write right.</summary>
    public static WebRights Of(KeyedClient client) => new(client.Name, client.Scope, client.CanWrite);

    /// <summary>Whether any note may be read (false for a key with neither <c>read-all</c> nor <c>read-own</c>: answered 403).</summary>
    public bool MayRead => !Scope.IsNothing;

    /// <summary>Whether notes and the clients-list entry of <paramref name="client"/> may be shown.</summary>
    public bool Admits(string client) => Scope.Admits(client);

    /// <summary>Whether <paramref name="other"/> reads exactly what these rights read (the same scope).</summary>
    public bool ReadsAs(WebRights other) =>
        Scope.IsNothing == other.Scope.IsNothing && string.Equals(Scope.OwnName, other.Scope.OwnName, StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="filter"/> narrowed to what these rights may read (<see cref="ReadScope.Narrow"/>); null when
    /// they may read none of it (no read right, or the filter asks for another client than the one allowed).
    /// </summary>
    public HistoryFilter? Restrict(HistoryFilter filter)
    {
        if (Scope.IsNothing || (filter.Client is { } client && !Scope.Admits(client))) return null;
        return Scope.Narrow(filter);
    }
}
