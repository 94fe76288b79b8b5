namespace NetJournal.Protocol;

/// <summary>Why a note or a request was refused. Carried in acknowledgements and error replies.</summary>
public enum ErrorCode : byte
{
    None = 0,
    EmptyNote = 1,
    NoteTooLong = 2,
    NotOneLine = 3,
    InvalidUtf8 = 4,
    StorageFailed = 5,
    UnsupportedVersion = 6,
    UnknownMessage = 7,
    Malformed = 8,
    BadName = 9,
    RateLimited = 10,
    ServerBusy = 11,
    BadFilter = 12,

    /// <summary>The server follows as many followers as it takes; a Follow that would add one more is refused.</summary>
    TooManyFollowers = 13,
    /// <summary>The server takes only sealed datagrams (serve --clients): run `netjournal keygen` and ask its owner to add the key.</summary>
    KeyRequired = 18,

    /// <summary>The client's line in the server's clients file lacks `write`.</summary>
    WriteNotPermitted = 19,

    /// <summary>The client's line in the server's clients file lacks `read-all` and `read-own`.</summary>
    ReadNotPermitted = 20,
    /// <summary>The bot has as many questions waiting as it takes (from this address or in all); ask again shortly.</summary>
    BotBusy = 16,

    /// <summary>The question is empty, holds a line break, or is longer than <see cref="ProtocolConstants.MaxQuestionBytes"/>.</summary>
    BadQuestion = 17,

    /// <summary>The server's shared store (PostgreSQL) could not be reached: the note was not stored; the server says so in its log.</summary>
    StoreUnavailable = 22,

    /// <summary>The connection to the shared store broke while it committed: the note may or may not be stored (never twice).</summary>
    StoreOutcomeUnknown = 23,
}
