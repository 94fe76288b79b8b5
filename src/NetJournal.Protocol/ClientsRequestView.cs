namespace NetJournal.Protocol;

/// <summary>
/// A ClientsRequest read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The token is a span over the datagram.
/// </summary>
public readonly ref struct ClientsRequestView
{
    private ClientsRequestView(uint requestId, ReadOnlySpan<byte> token, ulong afterIndex, ushort maxReply)
    {
        RequestId = requestId;
        Token = token;
        AfterIndex = afterIndex;
        MaxReply = maxReply;
    }

    public uint RequestId { get; }

    /// <summary>The address-validation token, at most 64 bytes; empty on first contact.</summary>
    public ReadOnlySpan<byte> Token { get; }

    public ulong AfterIndex { get; }
    public ushort MaxReply { get; }

    /// <summary>Reads a whole datagram that holds a ClientsRequest; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out ClientsRequestView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.ClientsRequest) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadBytes(ProtocolConstants.MaxTokenBytes, out ReadOnlySpan<byte> token)
            || !r.TryReadVarUInt(out var after) || !r.TryReadUInt16(out var maxReply) || r.Remaining != 0)
            return false;
        view = new ClientsRequestView(id, token, after, maxReply);
        return true;
    }
}
