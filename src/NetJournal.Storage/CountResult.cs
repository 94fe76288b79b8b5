namespace NetJournal.Storage;

public readonly record struct CountResult(ulong Matched, ulong StartAfterSeq, ulong EndSeq, ulong TotalNotes);
