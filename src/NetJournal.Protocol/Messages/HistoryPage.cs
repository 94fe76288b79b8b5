namespace NetJournal.Protocol;

/// <summary>
/// One page of history. NextAfterSeq is the cursor to ask from next; Complete means no matching
/// note is left in the requested range.
/// </summary>
public sealed record HistoryPage(uint RequestId, ulong NextAfterSeq, bool Complete, IReadOnlyList<Note> Notes) : JournalMessage
{
    public override MessageType Type => MessageType.HistoryPage;
}
