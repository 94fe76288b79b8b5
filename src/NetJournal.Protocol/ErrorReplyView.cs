namespace NetJournal.Protocol;

/// <summary>
/// An ErrorReply read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The detail is a span of valid UTF-8 over the datagram.
/// </summary>
public readonly ref struct ErrorReplyView
{
    private ErrorReplyView(uint requestId, ErrorCode code, ReadOnlySpan<byte> detail)
    {
        RequestId = requestId;
        Code = code;
        Detail = detail;
    }

    public uint RequestId { get; }

    /// <summary>The code as sent: a code this version does not know is kept, not refused.</summary>
    public ErrorCode Code { get; }

    /// <summary>The detail text as UTF-8; may be empty.</summary>
    public ReadOnlySpan<byte> Detail { get; }

    /// <summary>Reads a whole datagram that holds an ErrorReply; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out ErrorReplyView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.ErrorReply) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadByte(out var code)
            || !r.TryReadUtf8(ProtocolConstants.MaxDatagram, out var detail) || r.Remaining != 0)
            return false;
        view = new ErrorReplyView(id, (ErrorCode)code, detail);
        return true;
    }
}
