namespace NetJournal.Protocol;

public enum MessageType : byte
{
    AppendRequest = 1,
    AppendAck = 2,
    HistoryRequest = 3,
    HistoryPage = 4,
    CountRequest = 5,
    CountReply = 6,
    ClientsRequest = 7,
    ClientsPage = 8,
    ErrorReply = 9,
    RetryChallenge = 10,

    /// <summary>Client to server: follow the notes that match a filter, or renew that lease (protocol §4.12).</summary>
    Follow = 11,

    /// <summary>Server to follower: the answer to a Follow, or notes pushed as they are stored (protocol §4.13).</summary>
    Notify = 12,
}
