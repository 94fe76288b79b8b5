using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// A note waiting for the next group commit. Refusal is set when its content was already found wrong:
/// it still passes through the commit, in its number's turn, so the client's order is kept.
/// Base comes from the client's request: every number below it is settled at the client.
/// Tail, when set, is the note as its store's <see cref="IPendingNoteEncoder"/> prepared it before the commit
/// (for <see cref="JournalStore"/>, its line without seq and time), so the commit thread only copies it. Text is null
/// when the note's text lives only in its tail (a native note, kept as the UTF-8 it came in); a note without a tail
/// needs its text. TextUtf8 holds that UTF-8 text as well when the server passes committed notes on
/// (<see cref="PendingNotes.KeepsText"/>), and is empty otherwise.
/// </summary>
public readonly record struct PendingNote(
    string Client, string Address, string? Text, NoteOrigin Origin = NoteOrigin.Native, byte? Priority = null,
    ulong Instance = 0, ulong Number = 0, ulong Base = 0, ErrorCode Refusal = ErrorCode.None, ReadOnlyMemory<byte> Tail = default,
    ReadOnlyMemory<byte> TextUtf8 = default)
{
    /// <summary>The note's text: <see cref="Text"/>, or a string made from <see cref="TextUtf8"/> (empty when neither is kept).</summary>
    public string TextString() => Text ?? System.Text.Encoding.UTF8.GetString(TextUtf8.Span);
}
