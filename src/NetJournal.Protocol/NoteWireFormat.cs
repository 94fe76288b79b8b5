using System.Buffers;
using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// A note as a HistoryPage carries it: seq (varuint), time (zigzag varint, Unix ms), client, address and text (each a
/// varuint length and UTF-8), then the origin byte; bit <see cref="PriorityFlag"/> of the origin says a priority byte
/// (the syslog PRI, 0 to 191) follows. <see cref="TryWrite"/> is the one writer of it, <see cref="NoteView"/> the one reader.
/// </summary>
public static class NoteWireFormat
{
    /// <summary>Set in the origin byte when a priority byte follows it.</summary>
    public const byte PriorityFlag = 0x80;

    /// <summary>The largest priority a note carries: facility 23, severity 7 (RFC 5424 section 6.2.1).</summary>
    public const byte MaxPriority = 191;

    /// <summary>The smallest note: one-byte seq and time, three empty strings, the origin.</summary>
    public const int MinSize = 6;

    /// <summary>Exact bytes of a note whose strings are <paramref name="clientBytes"/>, <paramref name="addressBytes"/> and <paramref name="textBytes"/> bytes of UTF-8.</summary>
    public static int Size(ulong seq, long timeMs, int clientBytes, int addressBytes, int textBytes, bool hasPriority) =>
        WireWriter.VarUIntSize(seq) + WireWriter.VarInt64Size(timeMs) + StringSize(clientBytes) + StringSize(addressBytes)
        + StringSize(textBytes) + (hasPriority ? 2 : 1);

    /// <summary>Exact bytes <paramref name="note"/> takes inside a history page.</summary>
    public static int Size(Note note) =>
        Size(note.Seq, note.TimeMs, Encoding.UTF8.GetByteCount(note.Client), Encoding.UTF8.GetByteCount(note.Address),
            Encoding.UTF8.GetByteCount(note.Text), note.Priority is not null);

    private static int StringSize(int bytes) => WireWriter.VarUIntSize((ulong)bytes) + bytes;

    /// <summary>
    /// Writes a note from its fields, the strings as UTF-8. Not checked here, as the reader checks them: the caller
    /// holds valid UTF-8, a <see cref="NoteOrigin"/> and a priority of at most <see cref="MaxPriority"/>.
    /// False, with nothing promised about <paramref name="destination"/>, when the note does not fit in it.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ulong seq, long timeMs, ReadOnlySpan<byte> client, ReadOnlySpan<byte> address,
        ReadOnlySpan<byte> text, NoteOrigin origin, byte? priority, out int written)
    {
        written = 0;
        if (Size(seq, timeMs, client.Length, address.Length, text.Length, priority is not null) > destination.Length) return false;
        var w = new WireWriter(destination);
        w.WriteVarUInt(seq);
        w.WriteVarInt64(timeMs);
        w.WriteBytes(client);
        w.WriteBytes(address);
        w.WriteBytes(text);
        if (priority is { } pri)
        {
            w.WriteByte((byte)((byte)origin | PriorityFlag));
            w.WriteByte(pri);
        }
        else
        {
            w.WriteByte((byte)origin);
        }
        written = w.Position;
        return true;
    }

    /// <summary>Writes <paramref name="note"/> (its strings made UTF-8 first) and returns its length.</summary>
    /// <exception cref="ArgumentException">The note does not fit in <paramref name="destination"/>.</exception>
    public static int Write(Note note, Span<byte> destination)
    {
        var clientBytes = Encoding.UTF8.GetByteCount(note.Client);
        var addressBytes = Encoding.UTF8.GetByteCount(note.Address);
        var textBytes = Encoding.UTF8.GetByteCount(note.Text);
        var length = clientBytes + addressBytes + textBytes;
        byte[]? rented = null;
        var utf8 = length <= 1024 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            Encoding.UTF8.GetBytes(note.Client, utf8);
            Encoding.UTF8.GetBytes(note.Address, utf8[clientBytes..]);
            Encoding.UTF8.GetBytes(note.Text, utf8[(clientBytes + addressBytes)..]);
            if (!TryWrite(destination, note.Seq, note.TimeMs, utf8[..clientBytes], utf8.Slice(clientBytes, addressBytes),
                    utf8[(clientBytes + addressBytes)..], note.Origin, note.Priority, out var written))
                throw new ArgumentException("the note does not fit in the destination", nameof(destination));
            return written;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
