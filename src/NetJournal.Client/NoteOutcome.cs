using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>The final answer for one note sent: stored (with its seq when known), refused, or unanswered.</summary>
public readonly record struct NoteOutcome(long Index, string Text, NoteStatus Status, ulong Seq, ErrorCode Error)
{
    /// <summary>No answer came before the client gave up; the note may or may not be stored.</summary>
    public bool Unanswered => Status == 0;
    public bool IsStored => Status is NoteStatus.Stored or NoteStatus.Duplicate;

    /// <summary>The 1-based line of the input stream the note came from (blank lines counted); 0 when it did not come from a stream.</summary>
    public long Line { get; init; }

    /// <summary>The line was not valid UTF-8: the note was sent with U+FFFD in place of each bad sequence.</summary>
    public bool Repaired { get; init; }

    public string Describe() => IsStored ? (Seq > 0 ? $"stored as #{Seq}" : "stored")
        : Unanswered ? "no answer from the server; it may not be stored"
        : ErrorText.Describe(Error);
}
