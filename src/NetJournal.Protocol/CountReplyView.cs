namespace NetJournal.Protocol;

/// <summary>A CountReply read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it), without allocation.</summary>
public readonly ref struct CountReplyView
{
    private CountReplyView(uint requestId, ulong matched, ulong startAfterSeq, ulong endSeq, ulong totalNotes)
    {
        RequestId = requestId;
        Matched = matched;
        StartAfterSeq = startAfterSeq;
        EndSeq = endSeq;
        TotalNotes = totalNotes;
    }

    public uint RequestId { get; }
    public ulong Matched { get; }
    public ulong StartAfterSeq { get; }
    public ulong EndSeq { get; }
    public ulong TotalNotes { get; }

    /// <summary>Reads a whole datagram that holds a CountReply; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out CountReplyView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.CountReply) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadVarUInt(out var matched) || !r.TryReadVarUInt(out var start)
            || !r.TryReadVarUInt(out var end) || !r.TryReadVarUInt(out var total) || r.Remaining != 0)
            return false;
        view = new CountReplyView(id, matched, start, end, total);
        return true;
    }
}
