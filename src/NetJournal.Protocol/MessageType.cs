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
    // 11 Follow and 12 Notify are reserved for the server pushing new notes to followers.

    /// <summary>Client → server, unsealed: opens a keyed session (protocol.md §8).</summary>
    SessionInit = 15,

    /// <summary>Server → client, unsealed: the session's id and the server's random, MACed over the init.</summary>
    SessionAccept = 16,
}
