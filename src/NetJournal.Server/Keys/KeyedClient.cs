using NetJournal.Protocol.Sealing;

namespace NetJournal.Server.Keys;

/// <summary>One line of the clients file: the name its notes are stored under, its key, its rights, and the line it came from.</summary>
public sealed record KeyedClient(string Name, ClientKey Key, ClientRights Rights, int Line)
{
    public bool CanWrite => (Rights & ClientRights.Write) != 0;

    /// <summary>The notes this client may read: every note, its own, or none (<see cref="ReadScope"/>).</summary>
    public ReadScope Scope => (Rights & ClientRights.ReadOwn) != 0 ? ReadScope.Own(Name)
        : (Rights & ClientRights.ReadAll) != 0 ? ReadScope.All
        : ReadScope.Nothing;
}
