namespace NetJournal.Storage;

/// <summary>A line in the middle of the journal that is not a valid record: reported, skipped, never rewritten.</summary>
public readonly record struct CorruptLine(long LineNumber, long Offset, int Length);
