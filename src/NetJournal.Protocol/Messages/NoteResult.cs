namespace NetJournal.Protocol;

/// <summary>The outcome for one note of an append. Seq is 0 when unknown (a duplicate) or not stored.</summary>
public readonly record struct NoteResult(NoteStatus Status, ulong Seq, ErrorCode Error)
{
    public static NoteResult Stored(ulong seq) => new(NoteStatus.Stored, seq, ErrorCode.None);
    public static NoteResult Duplicate(ulong seq) => new(NoteStatus.Duplicate, seq, ErrorCode.None);
    public static NoteResult Rejected(ErrorCode error) => new(NoteStatus.Rejected, 0, error);
    public static NoteResult Deferred => new(NoteStatus.Deferred, 0, ErrorCode.None);
    public static NoteResult Held => new(NoteStatus.Held, 0, ErrorCode.None);

    public bool IsStored => Status is NoteStatus.Stored or NoteStatus.Duplicate;
}
