using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// A note that is now durable, as <see cref="ICommitListener"/> receives it: its fields as the commit had them,
/// never read back from the journal. TimeMs is Unix milliseconds; Priority is the syslog PRI for syslog notes.
/// </summary>
public readonly record struct CommittedNote(
    ulong Seq, long TimeMs, string Client, string Address, string Text, NoteOrigin Origin = NoteOrigin.Native, byte? Priority = null)
{
    /// <summary>The note as history returns it.</summary>
    public Note ToNote() => new(Seq, TimeMs, Client, Address, Text, Origin, Priority);
}
