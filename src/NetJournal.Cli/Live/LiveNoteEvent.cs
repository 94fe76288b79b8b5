using NetJournal.Protocol;

namespace NetJournal.Cli.Live;

/// <summary>One thing a <see cref="ILiveNoteSource"/> says: a note just stored, or a status line for standard error.</summary>
public readonly record struct LiveNoteEvent(Note? Note, string? Status)
{
    public static LiveNoteEvent Stored(Note note) => new(note, null);

    public static LiveNoteEvent Said(string status) => new(null, status);
}
