using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>Notes for one history page, the cursor to continue from, and whether the range is exhausted.</summary>
public sealed record PageResult(IReadOnlyList<Note> Notes, ulong NextAfterSeq, bool Complete);
