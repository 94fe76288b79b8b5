using System.Buffers;

namespace NetJournal.Storage;

/// <summary>
/// What <see cref="JournalStore"/> wants prepared: the note's journal line but for seq and time
/// (<see cref="JournalLine.WriteTail(in PendingNote, IBufferWriter{byte})"/>), which its commit prefixes and copies.
/// </summary>
public sealed class JournalLineTailEncoder : IPendingNoteEncoder
{
    public static JournalLineTailEncoder Instance { get; } = new();

    private JournalLineTailEncoder()
    {
    }

    public void Encode(in PendingNote note, IBufferWriter<byte> output) => JournalLine.WriteTail(note, output);

    public void Encode(in PendingNote note, ReadOnlySpan<byte> textUtf8, IBufferWriter<byte> output) => JournalLine.WriteTail(note, textUtf8, output);
}
