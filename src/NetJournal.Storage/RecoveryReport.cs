namespace NetJournal.Storage;

/// <summary>What opening the journal found: how many notes, and what was cut from a torn tail or skipped in the middle.</summary>
public sealed record RecoveryReport(
    string Path, bool Created, int Notes, long TruncatedBytes, long TruncatedAtOffset, IReadOnlyList<CorruptLine> CorruptLines, TimeSpan Duration);
