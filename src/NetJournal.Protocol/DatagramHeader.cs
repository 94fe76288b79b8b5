using System.Runtime.CompilerServices;

namespace NetJournal.Protocol;

/// <summary>
/// The six bytes every native datagram starts with: magic "\xFE NJ" (3), version (1), message type (1), flags (1).
/// The one place a datagram's header is read: rate cost, the append fast path and the full decoder all go through
/// <see cref="Read"/>, so a sealed body (<see cref="HeaderFlags.Sealed"/>) will have one place to be opened.
/// </summary>
public readonly struct DatagramHeader
{
    private DatagramHeader(byte version, MessageType type, HeaderFlags flags)
    {
        Version = version;
        Type = type;
        Flags = flags;
    }

    public byte Version { get; }
    public MessageType Type { get; }
    public HeaderFlags Flags { get; }

    /// <summary>Bytes the header takes: the body starts here.</summary>
    public int Length => ProtocolConstants.HeaderSize;

    /// <summary>
    /// Reads the header and triages it: NotNative without the magic, Malformed when the header is cut short,
    /// then UnsupportedVersion, UnsupportedFlags (any flag but <see cref="HeaderFlags.AcceptsHeld"/> alone on an
    /// AppendRequest) or UnknownType, else Ok. The header's fields are set whenever
    /// the status is not NotNative or Malformed. Reads six bytes; never throws.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeStatus Read(ReadOnlySpan<byte> datagram, out DatagramHeader header)
    {
        header = default;
        if (!ProtocolConstants.HasMagic(datagram)) return DecodeStatus.NotNative;
        if (datagram.Length < ProtocolConstants.HeaderSize) return DecodeStatus.Malformed;
        header = new DatagramHeader(datagram[3], (MessageType)datagram[4], (HeaderFlags)datagram[5]);
        if (header.Version != ProtocolConstants.Version) return DecodeStatus.UnsupportedVersion;
        if (header.Flags != HeaderFlags.None && !(header.Flags == HeaderFlags.AcceptsHeld && header.Type == MessageType.AppendRequest))
            return DecodeStatus.UnsupportedFlags;
        return header.Type is >= MessageType.AppendRequest and <= MessageType.Notify ? DecodeStatus.Ok : DecodeStatus.UnknownType;
    }

    /// <summary>True for a whole header of this protocol version with flags it accepts and a known type (<see cref="Read"/> gave Ok).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ReadOnlySpan<byte> datagram, out DatagramHeader header) => Read(datagram, out header) == DecodeStatus.Ok;
}
