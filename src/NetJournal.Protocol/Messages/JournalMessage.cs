namespace NetJournal.Protocol;

/// <summary>A decoded NetJournal datagram.</summary>
public abstract record JournalMessage
{
    public abstract MessageType Type { get; }
}
