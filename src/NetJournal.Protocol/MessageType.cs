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
    AskRequest = 13,
    AskReply = 14,
}
