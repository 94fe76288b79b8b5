namespace NetJournal.Protocol;

/// <summary>Asks for the clients that wrote, in order of first note, from AfterIndex on.</summary>
public sealed record ClientsRequest(uint RequestId, ReadOnlyMemory<byte> Token, ulong AfterIndex, ushort MaxReply) : JournalMessage
{
    public override MessageType Type => MessageType.ClientsRequest;
}
