namespace NetJournal.Protocol;

/// <summary>How a note reached the server.</summary>
public enum NoteOrigin : byte
{
    Native = 0,
    PlainText = 1,
    Syslog = 2,

    /// <summary>Posted from the web view (<c>serve --http</c>).</summary>
    Web = 3,

    /// <summary>An answer of the journal's bot.</summary>
    Bot = 4,
}
