namespace NetJournal.Protocol;

/// <summary>
/// A HistoryPage read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The notes are read from the datagram as they are enumerated.
/// </summary>
public readonly ref struct HistoryPageView
{
    private readonly ReadOnlySpan<byte> _notes;

    private HistoryPageView(uint requestId, ulong nextAfterSeq, bool complete, int noteCount, ReadOnlySpan<byte> notes, int notesOffset)
    {
        NotesOffset = notesOffset;
        RequestId = requestId;
        NextAfterSeq = nextAfterSeq;
        Complete = complete;
        NoteCount = noteCount;
        _notes = notes;
    }

    public uint RequestId { get; }

    /// <summary>The cursor to ask from next.</summary>
    public ulong NextAfterSeq { get; }

    /// <summary>No matching note is left in the requested range.</summary>
    public bool Complete { get; }

    public int NoteCount { get; }

    /// <summary>
    /// Where the notes start in the datagram: a copy of a page read once can be enumerated again later with
    /// <c>new NoteEnumerator(copy[NotesOffset..], NoteCount)</c>, without validating it a second time.
    /// </summary>
    public int NotesOffset { get; }

    /// <summary>Reads a whole datagram that holds a HistoryPage; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out HistoryPageView view)
    {
        var discard = default(DiscardItems<NoteView>);
        return TryRead(datagram, ref discard, out view);
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out HistoryPageView)"/>, handing each note to <paramref name="notes"/> as it is validated.</summary>
    internal static bool TryRead<TSink>(ReadOnlySpan<byte> datagram, scoped ref TSink notes, out HistoryPageView view)
        where TSink : struct, IItemSink<NoteView>
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.HistoryPage) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadUInt64(out var next) || !r.TryReadByte(out var flags) || flags > 1
            || !r.TryReadUInt16(out var count))
            return false;
        // A count beyond what the bytes left can hold is a lie, refused before reading on.
        if (count > r.Remaining / NoteWireFormat.MinSize) return false;
        var notesStart = r.Position;
        notes.Start(count);
        for (var i = 0; i < count; i++)
        {
            if (!NoteView.TryRead(ref r, validate: true, out var note)) return false;
            notes.Add(note);
        }
        if (r.Remaining != 0) return false;
        view = new HistoryPageView(id, next, flags == 1, count, datagram[notesStart..], notesStart);
        return true;
    }

    public NoteEnumerator GetEnumerator() => new(_notes, NoteCount);

    /// <summary>The notes in order, each a view over the datagram. Only for notes a TryRead has validated.</summary>
    public ref struct NoteEnumerator(ReadOnlySpan<byte> notes, int count)
    {
        private readonly ReadOnlySpan<byte> _notes = notes;
        private int _position;
        private int _left = count;

        public NoteView Current { get; private set; }

        public bool MoveNext()
        {
            if (_left == 0) return false;
            // Already validated by TryRead. A reader per step, like AppendRequestView's, keeps the loop in registers.
            var r = new WireReader(_notes, _position);
            NoteView.TryRead(ref r, validate: false, out var note);
            Current = note;
            _position = r.Position;
            _left--;
            return true;
        }
    }
}
