namespace NetJournal.Protocol;

/// <summary>
/// A HistoryRequest read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The token and the filter's strings are spans over the datagram.
/// </summary>
public readonly ref struct HistoryRequestView
{
    private HistoryRequestView(uint requestId, ReadOnlySpan<byte> token, ulong afterSeq, ulong untilSeq, ushort maxReply, HistoryFilterView filter)
    {
        RequestId = requestId;
        Token = token;
        AfterSeq = afterSeq;
        UntilSeq = untilSeq;
        MaxReply = maxReply;
        Filter = filter;
    }

    public uint RequestId { get; }

    /// <summary>The address-validation token, at most 64 bytes; empty on first contact.</summary>
    public ReadOnlySpan<byte> Token { get; }

    public ulong AfterSeq { get; }
    public ulong UntilSeq { get; }
    public ushort MaxReply { get; }
    public HistoryFilterView Filter { get; }

    /// <summary>Reads a whole datagram that holds a HistoryRequest; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out HistoryRequestView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.HistoryRequest) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadBytes(ProtocolConstants.MaxTokenBytes, out ReadOnlySpan<byte> token)
            || !r.TryReadVarUInt(out var after) || !r.TryReadVarUInt(out var until) || !r.TryReadUInt16(out var maxReply)
            || !HistoryFilterView.TryRead(ref r, out var filter) || r.Remaining != 0)
            return false;
        view = new HistoryRequestView(id, token, after, until, maxReply, filter);
        return true;
    }
}
