namespace NetJournal.Protocol;

/// <summary>A request was refused as a whole. Detail may be empty when the reply must stay small.</summary>
public sealed record ErrorReply(uint RequestId, ErrorCode Code, string Detail) : JournalMessage
{
    public override MessageType Type => MessageType.ErrorReply;
}
