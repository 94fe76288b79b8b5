using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// One event of <see cref="JournalClient.FollowAsync"/>: a note (each matching note exactly once, in seq order), or a
/// change in the server's state. <see cref="Seq"/> is the note's seq, or for a status the last seq handed out before it
/// (the follow resumes strictly after it).
/// </summary>
public sealed record FollowEvent(FollowEventKind Kind, ulong Seq, Note? Note = null)
{
    internal static FollowEvent Of(Note note) => new(FollowEventKind.Note, note.Seq, note);
}
