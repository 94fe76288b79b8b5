using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// One line of the journal file: the note as history shows it, plus the (Instance, Number) pair that
/// deduplicates retried appends. Instance 0 marks notes that came without one (plain text, syslog).
/// </summary>
public sealed record JournalRecord(
    ulong Seq, long TimeMs, string Client, string Address, string Text,
    NoteOrigin Origin = NoteOrigin.Native, byte? Priority = null, ulong Instance = 0, ulong Number = 0)
{
    public Note ToNote() => new(Seq, TimeMs, Client, Address, Text, Origin, Priority);
}
