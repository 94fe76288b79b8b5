using System.Buffers;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// One append datagram of a <see cref="NoteWriter"/> and what is known of it: consecutive notes (by input index and
/// by note number), encoded once into a pooled buffer that is kept until the final answer. The fields in front of the
/// notes are written into room reserved before them, so a resend with a newer Base rewrites only those bytes.
/// A flight of no buffer stands for one note refused before sending, waiting to be reported in order.
/// </summary>
internal sealed class Flight
{
    private readonly int _headRoom;
    private int _headStart;
    private string[]? _texts;

    /// <summary>A flight being packed: notes are added at <see cref="End"/> until it is sealed.</summary>
    public Flight(long firstIndex, int headRoom, int capacity)
    {
        FirstIndex = firstIndex;
        _headRoom = headRoom;
        Buffer = ArrayPool<byte>.Shared.Rent(headRoom + capacity);
        End = headRoom;
    }

    /// <summary>One note refused before sending (it broke the note rules, or the writer had given up).</summary>
    public Flight(long index, string text, NoteStatus status, ErrorCode error)
    {
        FirstIndex = index;
        Count = 1;
        _texts = [text];
        Results = [new NoteResult(status, 0, error)];
        State = FlightState.Done;
    }

    public long FirstIndex { get; }
    public ulong FirstNumber { get; private set; }
    public int Count { get; private set; }
    public byte[]? Buffer { get; private set; }

    /// <summary>Where the packed notes end in <see cref="Buffer"/>.</summary>
    public int End { get; private set; }

    /// <summary>Bytes of notes (and their lengths) in the datagram.</summary>
    public int NoteBytes => End - _headRoom;

    public ulong EncodedBase { get; private set; }

    /// <summary>The header flags the datagram was last encoded with (<see cref="HeaderFlags.AcceptsHeld"/> unless the server refused it).</summary>
    public HeaderFlags EncodedFlags { get; private set; }
    public FlightState State { get; set; }

    /// <summary>The number of its latest transmission, in the writer's order of sending (a resend takes a new one).</summary>
    public long SendNumber { get; set; }
    public TimeSpan SentAt { get; set; }
    public TimeSpan FirstSentAt { get; set; }
    public int Transmissions { get; set; }

    /// <summary>
    /// For a deferred flight: when the safety-net timer sends it again; for a held one, when it is probed; for one the
    /// server could not store yet, when it goes again.
    /// </summary>
    public TimeSpan Deadline { get; set; }

    /// <summary>Times the server answered StoreUnavailable ("not yet") since the flight was sent; 0 before any.</summary>
    public int NotYetAnswers { get; set; }

    /// <summary>When the first StoreUnavailable answer came: the writer gives up on the flight a timeout after it.</summary>
    public TimeSpan NotYetSince { get; set; }

    /// <summary>The latest StoreUnavailable answer: its results are reported if the writer gives up on the flight.</summary>
    public IReadOnlyList<NoteResult>? NotYetResults { get; set; }

    /// <summary>The final results, one per note; null until answered (and for notes given up).</summary>
    public IReadOnlyList<NoteResult>? Results { get; set; }

    /// <summary>The datagram as it goes on the wire.</summary>
    public ReadOnlySpan<byte> Datagram => Buffer.AsSpan(_headStart, End - _headStart);

    public bool Fits(int noteSize, int maxDatagram) =>
        Count < ProtocolConstants.MaxNotesPerAppend && (Count == 0 || _headRoom + NoteBytes + noteSize <= maxDatagram) && End + noteSize <= Buffer!.Length;

    /// <summary>Packs one note; <paramref name="text"/> is kept when the source has it (the string API reports it back).</summary>
    public void Add(ReadOnlySpan<byte> utf8, string? text)
    {
        if (text is not null)
        {
            _texts ??= new string[ProtocolConstants.MaxNotesPerAppend];
            _texts[Count] = text;
        }
        End += AppendRequest.WriteNote(utf8, Buffer.AsSpan(End));
        Count++;
    }

    /// <summary>Fixes the note numbers and writes the fields in front of the notes.</summary>
    public void Seal(ulong firstNumber, ulong instance, ulong @base, string name, HeaderFlags flags)
    {
        FirstNumber = firstNumber;
        WriteHead(instance, @base, name, flags);
    }

    /// <summary>Writes the fields in front of the notes again, for a resend after Base has moved on or the flags changed.</summary>
    public void WriteHead(ulong instance, ulong @base, string name, HeaderFlags flags)
    {
        Span<byte> head = stackalloc byte[_headRoom];
        var length = MessageCodec.EncodeAppendRequestHead(instance, @base, FirstNumber, name, Count, head, flags);
        _headStart = _headRoom - length;
        head[..length].CopyTo(Buffer.AsSpan(_headStart));
        EncodedBase = @base;
        EncodedFlags = flags;
    }

    /// <summary>Note <paramref name="i"/>'s text: the string it came as, or decoded from the datagram (only for notes reported not stored).</summary>
    public string TextOf(int i)
    {
        if (_texts?[i] is { } text) return text;
        if (Buffer is null) return "";
        var notes = Buffer.AsSpan(_headRoom, NoteBytes);
        var reader = new WireReader(notes, 0);
        for (var n = 0; n <= i; n++)
        {
            if (!reader.TryReadBytes(notes.Length, out ReadOnlySpan<byte> utf8)) return "";
            if (n == i) return System.Text.Encoding.UTF8.GetString(utf8);
        }
        return "";
    }

    /// <summary>Whether note <paramref name="i"/> came with its text.</summary>
    public bool HasText(int i) => _texts?[i] is not null;

    /// <summary>Gives the buffer back; the flight's notes are all reported.</summary>
    public void Release()
    {
        if (Buffer is not null) ArrayPool<byte>.Shared.Return(Buffer);
        Buffer = null;
        _texts = null;
    }
}
