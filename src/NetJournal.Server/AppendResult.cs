using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// The answer to <see cref="JournalServer.AppendAsync"/>: Result is Stored with the note's seq once it is durable
/// (TimeMs, Unix milliseconds, the time the commit gave it), or Rejected with why: the note's content or name
/// (EmptyNote, NoteTooLong, NotOneLine, BadName), ServerBusy (the commit queue is full or the server is stopping),
/// or StorageFailed (the write failed; nothing was stored). TimeMs is 0 unless stored.
/// </summary>
public readonly record struct AppendResult(NoteResult Result, long TimeMs)
{
    public bool IsStored => Result.Status == NoteStatus.Stored;
}
