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

    /// <summary>The server's shared store (PostgreSQL) could not be reached: the note was not stored; the server says so in its log.</summary>
    StoreUnavailable = 22,

    /// <summary>The connection to the shared store broke while it committed: the note may or may not be stored (never twice).</summary>
    StoreOutcomeUnknown = 23,
}
