namespace NetJournal.Storage;

/// <summary>What opening the journal found: how many notes, and what was cut from a torn tail or skipped in the middle.</summary>
public sealed record RecoveryReport(
    string Path, bool Created, int Notes, long TruncatedBytes, long TruncatedAtOffset, IReadOnlyList<CorruptLine> CorruptLines, TimeSpan Duration)
{
    /// <summary>The last line was a whole, valid record without its newline (written by hand or by another tool): kept, and the newline added.</summary>
    public bool NewlineAdded { get; init; }
}
