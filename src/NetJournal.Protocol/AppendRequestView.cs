namespace NetJournal.Protocol;

/// <summary>
/// An AppendRequest read in place: the same validation as <see cref="MessageCodec.TryDecode"/>, but no
/// allocation, since appends are the server's hot path. The name and note bodies are spans over the datagram.
/// </summary>
public readonly ref struct AppendRequestView
{
    private readonly ReadOnlySpan<byte> _notes;

    private AppendRequestView(
        HeaderFlags flags, ulong instance, ulong @base, ulong firstNumber, ReadOnlySpan<byte> name, int noteCount, ReadOnlySpan<byte> notes)
    {
        Flags = flags;
        Instance = instance;
        Base = @base;
        FirstNumber = firstNumber;
        Name = name;
        NoteCount = noteCount;
        _notes = notes;
    }

    /// <summary>The header's flags: <see cref="HeaderFlags.None"/> or <see cref="HeaderFlags.AcceptsHeld"/>.</summary>
    public HeaderFlags Flags { get; }

    /// <summary>The client understands <see cref="NoteStatus.Held"/> (<see cref="HeaderFlags.AcceptsHeld"/>).</summary>
    public bool AcceptsHeld => (Flags & HeaderFlags.AcceptsHeld) != 0;

    public ulong Instance { get; }
    public ulong Base { get; }
    public ulong FirstNumber { get; }

    /// <summary>The client name as sent: valid UTF-8, at most 128 bytes.</summary>
    public ReadOnlySpan<byte> Name { get; }

    public int NoteCount { get; }

    /// <summary>Reads a whole datagram that holds an AppendRequest; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out AppendRequestView view)
    {
        view = default;
        return DatagramHeader.TryRead(datagram, out var header) && TryRead(datagram, header, out view);
    }

    /// <summary>
    /// The same, for a datagram whose header was already read and found Ok (<see cref="DatagramHeader.Read"/>):
    /// false if its type is not AppendRequest or its body is malformed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, DatagramHeader header, out AppendRequestView view)
    {
        view = default;
        if (header.Type != MessageType.AppendRequest) return false;
        var r = new WireReader(datagram, header.Length);
        if (!r.TryReadUInt64(out var instance) || !r.TryReadVarUInt(out var @base) || !r.TryReadVarUInt(out var first)
            || !r.TryReadBytes(ProtocolConstants.MaxNameBytes, out var nameStart, out var nameLength)
            || !Utf8Text.IsValid(datagram.Slice(nameStart, nameLength))
            || !r.TryReadByte(out var count) || count == 0)
            return false;
        var notesStart = r.Position;
        for (var i = 0; i < count; i++)
            if (!r.TryReadBytes(ProtocolConstants.MaxDatagram, out _, out _)) return false;
        if (r.Remaining != 0) return false;
        view = new AppendRequestView(header.Flags, instance, @base, first, datagram.Slice(nameStart, nameLength), count, datagram[notesStart..]);
        return true;
    }

    public NoteEnumerator GetEnumerator() => new(_notes, NoteCount);

    /// <summary>The note bodies in order, as spans over the datagram.</summary>
    public ref struct NoteEnumerator(ReadOnlySpan<byte> notes, int count)
    {
        private readonly ReadOnlySpan<byte> _notes = notes;
        private int _position;
        private int _left = count;

        public ReadOnlySpan<byte> Current { get; private set; }

        public bool MoveNext()
        {
            if (_left == 0) return false;
            var r = new WireReader(_notes, _position);
            r.TryReadBytes(ProtocolConstants.MaxDatagram, out var start, out var length);
            Current = _notes.Slice(start, length);
            _position = r.Position;
            _left--;
            return true;
        }
    }
}
