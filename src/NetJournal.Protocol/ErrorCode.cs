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

    /// <summary>The bot has as many questions waiting as it takes (from this address or in all); ask again shortly.</summary>
    BotBusy = 16,

    /// <summary>The question is empty, holds a line break, or is longer than <see cref="ProtocolConstants.MaxQuestionBytes"/>.</summary>
    BadQuestion = 17,
}
