namespace NetJournal.Protocol;

/// <summary>
/// Matched counts the notes matching the filter up to EndSeq (the newest seq when the server answered).
/// Fetching AfterSeq = StartAfterSeq, UntilSeq = EndSeq returns the requested last notes.
/// </summary>
public sealed record CountReply(uint RequestId, ulong Matched, ulong StartAfterSeq, ulong EndSeq, ulong TotalNotes) : JournalMessage
{
    public override MessageType Type => MessageType.CountReply;
}
