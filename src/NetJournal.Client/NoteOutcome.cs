using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>The final answer for one note sent: stored (with its seq when known), refused, or unanswered.</summary>
public readonly record struct NoteOutcome(long Index, string Text, NoteStatus Status, ulong Seq, ErrorCode Error)
{
    /// <summary>No answer came before the client gave up; the note may or may not be stored.</summary>
    public bool Unanswered => Status == 0;
    public bool IsStored => Status is NoteStatus.Stored or NoteStatus.Duplicate;

    public string Describe() => IsStored ? (Seq > 0 ? $"stored as #{Seq}" : "stored")
        : Unanswered ? "no answer from the server; it may not be stored"
        : ErrorText.Describe(Error);
}
