using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// One note of a <see cref="HistoryPageView"/>, read in place: the strings are spans of valid UTF-8 over the datagram.
/// <see cref="ToNote"/> makes the <see cref="Note"/> the decoder returns, allocating only what the note keeps.
/// </summary>
public readonly ref struct NoteView
{
    private NoteView(ulong seq, long timeMs, ReadOnlySpan<byte> client, ReadOnlySpan<byte> address, ReadOnlySpan<byte> text, NoteOrigin origin, byte? priority)
    {
        Seq = seq;
        TimeMs = timeMs;
        Client = client;
        Address = address;
        Text = text;
        Origin = origin;
        Priority = priority;
    }

    public ulong Seq { get; }

    /// <summary>Unix milliseconds.</summary>
    public long TimeMs { get; }

    public ReadOnlySpan<byte> Client { get; }
    public ReadOnlySpan<byte> Address { get; }
    public ReadOnlySpan<byte> Text { get; }
    public NoteOrigin Origin { get; }

    /// <summary>The syslog PRI (0 to 191) of a syslog note, else null.</summary>
    public byte? Priority { get; }

    /// <summary>
    /// The note as <see cref="MessageCodec.TryDecode"/> returns it: the one place a wire note becomes a <see cref="Note"/>.
    /// Client and address come from <paramref name="strings"/> when given, so notes from the same writer share them
    /// (a million-note history comes from a few hundred writers); else the three strings are the only allocations.
    /// </summary>
    public Note ToNote(Utf8StringCache? strings = null) =>
        new(Seq, TimeMs, strings?.Get(Client) ?? Encoding.UTF8.GetString(Client), strings?.Get(Address) ?? Encoding.UTF8.GetString(Address),
            Encoding.UTF8.GetString(Text), Origin, Priority);

    /// <summary>
    /// The one reader of <see cref="NoteWireFormat"/>: seq, time, client (at most 512 bytes), address (512), text, then the
    /// origin byte; bit <see cref="NoteWireFormat.PriorityFlag"/> of the origin says a priority byte (at most 191) follows. <paramref name="validate"/> false skips the UTF-8 checks of an already read page.
    /// </summary>
    internal static bool TryRead(scoped ref WireReader r, bool validate, out NoteView note)
    {
        note = default;
        if (!r.TryReadVarUInt(out var seq) || !r.TryReadVarInt64(out var time)
            || !r.TryReadUtf8(ProtocolConstants.MaxNameBytes * 4, validate, out var client)
            || !r.TryReadUtf8(ProtocolConstants.MaxFilterBytes, validate, out var address)
            || !r.TryReadUtf8(ProtocolConstants.MaxDatagram, validate, out var text) || !r.TryReadByte(out var origin))
            return false;
        byte? priority = null;
        if ((origin & NoteWireFormat.PriorityFlag) != 0)
        {
            if (!r.TryReadByte(out var p) || p > NoteWireFormat.MaxPriority) return false;
            priority = p;
            origin &= unchecked((byte)~NoteWireFormat.PriorityFlag);
        }
        if (origin > (byte)NoteOrigin.Bot) return false;
        note = new NoteView(seq, time, client, address, text, (NoteOrigin)origin, priority);
        return true;
    }
}
