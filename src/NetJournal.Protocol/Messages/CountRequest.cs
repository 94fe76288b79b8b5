namespace NetJournal.Protocol;

/// <summary>Asks how many notes match, and from which cursor the last LastN of them start (0 = all).</summary>
public sealed record CountRequest(uint RequestId, ReadOnlyMemory<byte> Token, ulong LastN, HistoryFilter Filter) : JournalMessage
{
    public override MessageType Type => MessageType.CountRequest;
}
