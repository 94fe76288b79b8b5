namespace NetJournal.Server.Keys;

/// <summary>What a keyed client may do, from its line in the clients file (<c>write</c>, <c>read-all</c>, <c>read-own</c>).</summary>
[Flags]
public enum ClientRights
{
    None = 0,
    Write = 1,
    ReadAll = 2,

    /// <summary>Read only the notes written under the client's own name; narrower than <see cref="ReadAll"/>, and wins over it.</summary>
    ReadOwn = 4,
}
