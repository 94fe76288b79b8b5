using System.Buffers;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// Notes on their way to a commit, each already prepared by its store's <see cref="IPendingNoteEncoder"/>
/// (<see cref="PendingNote.Tail"/>), all tails in one buffer. Made to be cleared and filled again: a server reuses
/// them, so handling an append allocates nothing.
/// </summary>
public sealed class PendingNotes
{
    private PendingNote[] _items = new PendingNote[4];
    private readonly ArrayBufferWriter<byte> _tails = new(1024);
    private readonly IPendingNoteEncoder _encoder;

    /// <summary>Notes prepared for <see cref="JournalStore"/>.</summary>
    public PendingNotes()
        : this(JournalLineTailEncoder.Instance)
    {
    }

    /// <summary>
    /// Notes prepared by <paramref name="encoder"/>. With <paramref name="keepText"/>, a native note's UTF-8 text is
    /// kept too (<see cref="PendingNote.TextUtf8"/>, one more copy), for a server that passes committed notes on.
    /// </summary>
    public PendingNotes(IPendingNoteEncoder encoder, bool keepText = false)
    {
        _encoder = encoder;
        KeepsText = keepText;
    }

    public int Count { get; private set; }

    /// <summary>Whether native notes keep their UTF-8 text beside their tail.</summary>
    public bool KeepsText { get; }

    public ReadOnlySpan<PendingNote> Items => _items.AsSpan(0, Count);

    public PendingNote this[int index] => Items[index];

    /// <summary>What this holds on to between uses: its note slots and its tail buffer.</summary>
    public int RetainedBytes => _items.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<PendingNote>() + _tails.Capacity;

    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
        _tails.ResetWrittenCount();
    }

    /// <summary>Adds a note with its text as a string (plain text, syslog); a refused note gets no tail.</summary>
    public void Add(in PendingNote note)
    {
        if (note.Refusal != ErrorCode.None)
        {
            Append(note);
            return;
        }
        var start = _tails.WrittenCount;
        _encoder.Encode(note, _tails);
        Append(note with { Tail = Written(start) });
    }

    /// <summary>Adds a native note whose text is the UTF-8 it came in; the note keeps no string of it.</summary>
    public void Add(in PendingNote note, ReadOnlySpan<byte> textUtf8)
    {
        if (note.Refusal != ErrorCode.None)
        {
            Append(note with { Text = null });
            return;
        }
        var start = _tails.WrittenCount;
        _encoder.Encode(note, textUtf8, _tails);
        var tail = Written(start);
        if (!KeepsText)
        {
            Append(note with { Text = null, Tail = tail });
            return;
        }
        var textStart = _tails.WrittenCount;
        _tails.Write(textUtf8);
        // Taken again after the write: a buffer that grew has moved on, and the tail stays valid in the old array.
        Append(note with { Text = null, Tail = tail, TextUtf8 = Written(textStart) });
    }

    // A buffer that grows moves on to a new array; the tails taken before stay valid in the old one.
    private ReadOnlyMemory<byte> Written(int start) => _tails.WrittenMemory[start..];

    private void Append(in PendingNote note)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = note;
    }
}
