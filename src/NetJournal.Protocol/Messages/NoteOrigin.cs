namespace NetJournal.Protocol;

/// <summary>How a note reached the server.</summary>
public enum NoteOrigin : byte
{
    Native = 0,
    PlainText = 1,
    Syslog = 2,
}
