namespace NetJournal.Protocol;

/// <summary>
/// A CountRequest read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The token and the filter's strings are spans over the datagram.
/// </summary>
public readonly ref struct CountRequestView
{
    private CountRequestView(uint requestId, ReadOnlySpan<byte> token, ulong lastN, HistoryFilterView filter)
    {
        RequestId = requestId;
        Token = token;
        LastN = lastN;
        Filter = filter;
    }

    public uint RequestId { get; }

    /// <summary>The address-validation token, at most 64 bytes; empty on first contact.</summary>
    public ReadOnlySpan<byte> Token { get; }

    public ulong LastN { get; }
    public HistoryFilterView Filter { get; }

    /// <summary>Reads a whole datagram that holds a CountRequest; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out CountRequestView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.CountRequest) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadBytes(ProtocolConstants.MaxTokenBytes, out ReadOnlySpan<byte> token)
            || !r.TryReadVarUInt(out var lastN) || !HistoryFilterView.TryRead(ref r, out var filter) || r.Remaining != 0)
            return false;
        view = new CountRequestView(id, token, lastN, filter);
        return true;
    }
}
