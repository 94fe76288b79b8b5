using System.Buffers;

namespace NetJournal.Storage;

/// <summary>
/// Prepares a note for its store before the commit: what it writes becomes the note's <see cref="PendingNote.Tail"/>,
/// so the commit thread (the one that cannot run in parallel) has little left to do. The receive thread calls it,
/// so the server never names a store's format. Thread-safe for one caller per thread; writes only to its output.
/// </summary>
public interface IPendingNoteEncoder
{
    /// <summary>Writes the prepared form of a note whose text is <see cref="PendingNote.Text"/> (not null).</summary>
    /// <exception cref="ArgumentException">The note has no text.</exception>
    void Encode(in PendingNote note, IBufferWriter<byte> output);

    /// <summary>Writes the prepared form of a note whose text is <paramref name="textUtf8"/> (valid UTF-8, as checked by the note rules).</summary>
    void Encode(in PendingNote note, ReadOnlySpan<byte> textUtf8, IBufferWriter<byte> output);
}
