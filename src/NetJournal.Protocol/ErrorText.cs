namespace NetJournal.Protocol;

/// <summary>The one place that turns an error code into words a user can act on.</summary>
public static class ErrorText
{
    public static string Describe(ErrorCode code) => code switch
    {
        ErrorCode.None => "no error",
        ErrorCode.EmptyNote => "the note is empty",
        ErrorCode.NoteTooLong => $"the note is longer than {ProtocolConstants.MaxNoteBytes} bytes of UTF-8",
        ErrorCode.NotOneLine => "the note holds a line break (CR or LF); a note is one line",
        ErrorCode.InvalidUtf8 => "the note is not valid UTF-8",
        ErrorCode.StorageFailed => "the server could not write the note to disk (disk full or write error); it was not stored",
        ErrorCode.UnsupportedVersion => "the server does not speak this protocol version",
        ErrorCode.UnknownMessage => "the server does not know this request",
        ErrorCode.Malformed => "the request was malformed",
        ErrorCode.BadName => $"the client name must be 1 to {ProtocolConstants.MaxNameBytes} bytes of UTF-8 on one line",
        ErrorCode.RateLimited => "the server is limiting this address's rate; try again shortly",
        ErrorCode.ServerBusy => "the server is busy; try again shortly",
        ErrorCode.BadFilter => "the history filter was refused",
        ErrorCode.TooManyFollowers => "the server has as many followers as it takes; try again later",
        ErrorCode.KeyRequired => "the server takes only clients with a key (see `netjournal keygen`)",
        ErrorCode.WriteNotPermitted => "this client's key may not write on this server",
        ErrorCode.ReadNotPermitted => "this client's key may not read on this server",
        ErrorCode.BotBusy => "the bot has too many questions waiting; ask again shortly",
        ErrorCode.BadQuestion => $"a question is one line of 1 to {ProtocolConstants.MaxQuestionBytes} bytes of UTF-8",
        ErrorCode.StoreUnavailable => "the server's database (PostgreSQL) is unreachable; the note was not stored",
        ErrorCode.StoreOutcomeUnknown => "the server lost its database (PostgreSQL) while committing; the note may or may not be stored, never twice",
        _ => $"error {(byte)code}",
    };
}
