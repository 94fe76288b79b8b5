namespace NetJournal.Storage;

/// <summary>
/// A history page written in wire form (<see cref="JournalStore.ReadPageWire"/>): how many notes and bytes were
/// written, the cursor to continue from, and whether the range is exhausted.
/// </summary>
public readonly record struct WirePageResult(int Count, int Bytes, ulong NextAfterSeq, bool Complete);
