namespace NetJournal.Protocol;

/// <summary>
/// A Follow read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it), without
/// allocation. The token and the filter's strings are spans over the datagram.
/// </summary>
public readonly ref struct FollowRequestView
{
    private FollowRequestView(uint requestId, ReadOnlySpan<byte> token, ulong subscription, ulong afterSeq, ushort maxReply, HistoryFilterView filter)
    {
        RequestId = requestId;
        Token = token;
        Subscription = subscription;
        AfterSeq = afterSeq;
        MaxReply = maxReply;
        Filter = filter;
    }

    public uint RequestId { get; }

    /// <summary>The address-validation token, at most 64 bytes; empty on first contact.</summary>
    public ReadOnlySpan<byte> Token { get; }

    /// <summary>The client's name for this follow (random, not 0).</summary>
    public ulong Subscription { get; }

    /// <summary>The last seq the client has: pushes start after it, or after the server's newest seq if that is later.</summary>
    public ulong AfterSeq { get; }

    public ushort MaxReply { get; }
    public HistoryFilterView Filter { get; }

    /// <summary>Reads a whole datagram that holds a Follow; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out FollowRequestView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.Follow) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadBytes(ProtocolConstants.MaxTokenBytes, out ReadOnlySpan<byte> token)
            || !r.TryReadUInt64(out var subscription) || !r.TryReadVarUInt(out var after) || !r.TryReadUInt16(out var maxReply)
            || !HistoryFilterView.TryRead(ref r, out var filter) || r.Remaining != 0)
            return false;
        view = new FollowRequestView(id, token, subscription, after, maxReply, filter);
        return true;
    }
}
