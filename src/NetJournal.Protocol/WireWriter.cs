using System.Buffers.Binary;
using System.Text;

namespace NetJournal.Protocol;

/// <summary>Writes protocol primitives into a caller's buffer. Running out of room is a caller bug and throws.</summary>
public ref struct WireWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public WireWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteHeader(MessageType type, HeaderFlags flags = HeaderFlags.None)
    {
        WriteByte(ProtocolConstants.Magic0);
        WriteByte(ProtocolConstants.Magic1);
        WriteByte(ProtocolConstants.Magic2);
        WriteByte(ProtocolConstants.Version);
        WriteByte((byte)type);
        WriteByte((byte)flags);
    }

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[_position..], value);
        _position += 8;
    }

    public void WriteInt64(long value) => WriteUInt64((ulong)value);

    public void WriteVarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    public void WriteVarInt64(long value) => WriteVarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)length);
        _position += Encoding.UTF8.GetBytes(value, _buffer[_position..]);
    }

    public static int VarUIntSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80) { value >>= 7; size++; }
        return size;
    }

    public static int VarInt64Size(long value) => VarUIntSize((ulong)((value << 1) ^ (value >> 63)));

    public static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return VarUIntSize((ulong)length) + length;
    }
}
