using System.Buffers;
using System.Text;

namespace NetJournal.Storage;

/// <summary>What <see cref="MemoryJournalStore"/> wants prepared: the note's text as UTF-8, nothing else.</summary>
public sealed class MemoryNoteEncoder : IPendingNoteEncoder
{
    public static MemoryNoteEncoder Instance { get; } = new();

    private MemoryNoteEncoder()
    {
    }

    public void Encode(in PendingNote note, IBufferWriter<byte> output)
    {
        var text = note.Text ?? throw new ArgumentException("a note without text needs its text as UTF-8", nameof(note));
        Encoding.UTF8.GetBytes(text, output);
    }

    public void Encode(in PendingNote note, ReadOnlySpan<byte> textUtf8, IBufferWriter<byte> output) => output.Write(textUtf8);
}
