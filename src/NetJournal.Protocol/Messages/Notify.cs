namespace NetJournal.Protocol;

/// <summary>
/// What a server tells a follower (protocol §4.13): the notes matching its filter with AfterSeq &lt; seq &lt;= UntilSeq,
/// all of them, in seq order. A follower whose last known seq is below AfterSeq has missed something (a lost push, a
/// push the server dropped, a restart) and fetches (its seq, AfterSeq] by history. RequestId is the Follow's it answers,
/// or 0 for a push; an answer carries no notes and AfterSeq = UntilSeq. Epoch is random per server start, so a follower
/// can tell a restarted server from a silent one; LeaseMs is how long the follow lasts without renewal.
/// </summary>
public sealed record Notify(uint RequestId, ulong Subscription, ulong Epoch, ulong AfterSeq, ulong UntilSeq, uint LeaseMs, IReadOnlyList<Note> Notes) : JournalMessage
{
    public override MessageType Type => MessageType.Notify;
}
