using System.Buffers.Binary;

namespace NetJournal.Protocol;

/// <summary>
/// Reads protocol primitives from a datagram. Every read checks the bytes left first and
/// reports failure instead of throwing, so any input, however hostile, only ever yields "malformed".
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public WireReader(ReadOnlySpan<byte> buffer, int position = 0)
    {
        _buffer = buffer;
        _position = position;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _buffer.Length - _position;

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1) { value = 0; return false; }
        value = _buffer[_position++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
        _position += 2;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining < 4) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
        _position += 4;
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        if (Remaining < 8) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt64BigEndian(_buffer[_position..]);
        _position += 8;
        return true;
    }

    public bool TryReadInt64(out long value)
    {
        var ok = TryReadUInt64(out var raw);
        value = (long)raw;
        return ok;
    }

    /// <summary>LEB128, at most 10 bytes; an over-long or overflowing encoding is malformed.</summary>
    public bool TryReadVarUInt(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!TryReadByte(out var b)) return false;
            if (shift == 63 && b > 1) return false;
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    public bool TryReadVarInt64(out long value)
    {
        var ok = TryReadVarUInt(out var raw);
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return ok;
    }

    /// <summary>A length-prefixed byte run, refused when the length passes <paramref name="maxLength"/> or the bytes left.</summary>
    public bool TryReadBytes(int maxLength, out int start, out int length)
    {
        start = 0;
        length = 0;
        if (!TryReadVarUInt(out var len) || len > (ulong)maxLength || len > (ulong)Remaining) return false;
        start = _position;
        length = (int)len;
        _position += length;
        return true;
    }

    public bool TryReadString(int maxBytes, out string value)
    {
        value = "";
        if (!TryReadBytes(maxBytes, out var start, out var length)) return false;
        return Utf8Text.TryDecode(_buffer.Slice(start, length), out value);
    }

    /// <summary>A length-prefixed byte run as a span over the buffer, with the checks of <see cref="TryReadBytes(int, out int, out int)"/>.</summary>
    public bool TryReadBytes(int maxLength, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryReadBytes(maxLength, out var start, out var length)) return false;
        value = _buffer.Slice(start, length);
        return true;
    }

    /// <summary>A string left as its UTF-8 bytes: the checks of <see cref="TryReadString"/>, without allocating.</summary>
    public bool TryReadUtf8(int maxBytes, out ReadOnlySpan<byte> value)
    {
        if (TryReadBytes(maxBytes, out value) && Utf8Text.IsValid(value)) return true;
        value = default;
        return false;
    }

    /// <summary>
    /// <see cref="TryReadUtf8(int, out ReadOnlySpan{byte})"/>, or without the UTF-8 check when <paramref name="validate"/>
    /// is false: for the views' second pass over a datagram their TryRead has already validated.
    /// </summary>
    internal bool TryReadUtf8(int maxBytes, bool validate, out ReadOnlySpan<byte> value) =>
        validate ? TryReadUtf8(maxBytes, out value) : TryReadBytes(maxBytes, out value);
}
