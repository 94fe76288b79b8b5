namespace NetJournal.Protocol;

/// <summary>
/// Asks for matching notes with AfterSeq &lt; seq &lt;= UntilSeq (0 = no upper bound), as many as fit in MaxReply bytes.
/// Token is the address-validation token from a RetryChallenge (empty on first contact).
/// </summary>
public sealed record HistoryRequest(uint RequestId, ReadOnlyMemory<byte> Token, ulong AfterSeq, ulong UntilSeq, ushort MaxReply, HistoryFilter Filter) : JournalMessage
{
    public override MessageType Type => MessageType.HistoryRequest;
}
