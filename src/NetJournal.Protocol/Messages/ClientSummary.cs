namespace NetJournal.Protocol;

public sealed record ClientSummary(string Name, string LastAddress, ulong NoteCount, long FirstMs, long LastMs);
