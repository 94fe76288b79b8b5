using NetJournal.Protocol;

namespace NetJournal.Server.Keys;

/// <summary>
/// The one place a reader's rights narrow what it reads. Every reader of notes on the server (history pages, counts,
/// the clients list, and whatever reads next: followers, the web view) asks the scope of its requester
/// (<see cref="ClientAddress.Scope"/>) and reads through <see cref="Narrow"/> and <see cref="Admits"/>. Without keys,
/// and for <c>read-all</c>, the scope is <see cref="All"/>; <c>read-own</c> sees only notes under the client's own name.
/// </summary>
public sealed class ReadScope
{
    private ReadScope(string? ownName, bool nothing)
    {
        OwnName = ownName;
        IsNothing = nothing;
    }

    /// <summary>Every note (no keys, or <c>read-all</c>).</summary>
    public static ReadScope All { get; } = new(null, false);

    /// <summary>No note at all (a keyed client without a read right).</summary>
    public static ReadScope Nothing { get; } = new(null, true);

    /// <summary>Only the notes stored under <paramref name="name"/> (<c>read-own</c>).</summary>
    public static ReadScope Own(string name) => new(name, false);

    /// <summary>The name a <c>read-own</c> scope is limited to; null otherwise.</summary>
    public string? OwnName { get; }

    /// <summary>May read nothing: requests are refused with <see cref="ErrorCode.ReadNotPermitted"/>.</summary>
    public bool IsNothing { get; }

    /// <summary>A filter for a <c>read-own</c> client matches nothing when it asks for another client's notes.</summary>
    private static readonly HistoryFilter NoNote = new(SinceMs: long.MaxValue, UntilMs: long.MinValue);

    /// <summary>
    /// <paramref name="filter"/> as this scope allows it: unchanged for <see cref="All"/>; for <c>read-own</c>, limited to
    /// the client's own name (a filter naming another client matches nothing); for <see cref="Nothing"/>, nothing.
    /// </summary>
    public HistoryFilter Narrow(HistoryFilter filter)
    {
        if (IsNothing) return NoNote;
        if (OwnName is null) return filter;
        if (filter.Client is null) return filter with { Client = OwnName };
        return string.Equals(filter.Client, OwnName, StringComparison.Ordinal) ? filter : NoNote;
    }

    /// <summary>Whether a note (or a clients-list entry) under <paramref name="client"/> may be shown to this reader.</summary>
    public bool Admits(string client) => !IsNothing && (OwnName is null || string.Equals(client, OwnName, StringComparison.Ordinal));
}
