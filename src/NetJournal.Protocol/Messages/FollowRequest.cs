namespace NetJournal.Protocol;

/// <summary>
/// Follow the notes that match <see cref="Filter"/>, pushed as they are stored, or renew that lease (protocol §4.12).
/// Subscription is chosen by the client (random, not 0) and, with the source address, names the follower; AfterSeq is
/// the last seq the client has, so the server answers where its pushes start (a Notify). MaxReply bounds each push
/// (clamped to 512…65,507 like a history page's). Token is the address-validation token from a RetryChallenge: a
/// server pushes only to an address that showed one.
/// </summary>
public sealed record FollowRequest(uint RequestId, ReadOnlyMemory<byte> Token, ulong Subscription, ulong AfterSeq, ushort MaxReply, HistoryFilter Filter) : JournalMessage
{
    public override MessageType Type => MessageType.Follow;
}
