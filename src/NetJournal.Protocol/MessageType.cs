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

    /// <summary>Client → server: a question for the journal's bot (protocol §4.14).</summary>
    AskRequest = 13,

    /// <summary>Server → client: the bot's answer, or that it is still working on it.</summary>
    AskReply = 14,

    /// <summary>Client → server, unsealed: opens a keyed session (protocol.md §8).</summary>
    SessionInit = 15,

    /// <summary>Server → client, unsealed: the session's id and the server's random, MACed over the init.</summary>
    SessionAccept = 16,
}
