namespace NetJournal.Protocol;

/// <summary>A stored note as history returns it. Priority is the syslog PRI (facility * 8 + severity) for syslog notes.</summary>
public sealed record Note(ulong Seq, long TimeMs, string Client, string Address, string Text, NoteOrigin Origin = NoteOrigin.Native, byte? Priority = null)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMs);
    public int? Facility => Priority is { } p ? p >> 3 : null;
    public int? Severity => Priority is { } p ? p & 7 : null;
}
