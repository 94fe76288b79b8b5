namespace NetJournal.Protocol;

/// <summary>
/// An AskReply read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it). The
/// answer is a span of valid UTF-8 over the datagram.
/// </summary>
public readonly ref struct AskReplyView
{
    private AskReplyView(uint requestId, AskStatus status, ulong questionSeq, ulong answerSeq, ReadOnlySpan<byte> answer)
    {
        RequestId = requestId;
        Status = status;
        QuestionSeq = questionSeq;
        AnswerSeq = answerSeq;
        Answer = answer;
    }

    public uint RequestId { get; }
    public AskStatus Status { get; }
    public ulong QuestionSeq { get; }
    public ulong AnswerSeq { get; }

    /// <summary>The answer as UTF-8, at most <see cref="ProtocolConstants.MaxNoteBytes"/> bytes; empty while Working.</summary>
    public ReadOnlySpan<byte> Answer { get; }

    /// <summary>Reads a whole datagram that holds an AskReply; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out AskReplyView view)
    {
        var discard = default(DiscardItems<ulong>);
        return TryRead(datagram, ref discard, out view);
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out AskReplyView)"/>, handing each cited seq to <paramref name="cited"/> as it is validated.</summary>
    internal static bool TryRead<TSink>(ReadOnlySpan<byte> datagram, scoped ref TSink cited, out AskReplyView view) where TSink : struct, IItemSink<ulong>
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.AskReply) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadByte(out var status) || status is not ((byte)AskStatus.Answered or (byte)AskStatus.Working)
            || !r.TryReadVarUInt(out var questionSeq) || !r.TryReadVarUInt(out var answerSeq)
            || !r.TryReadByte(out var count) || count > ProtocolConstants.MaxCitedSeqs)
            return false;
        cited.Start(count);
        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadVarUInt(out var seq)) return false;
            cited.Add(seq);
        }
        if (!r.TryReadUtf8(ProtocolConstants.MaxNoteBytes, out var answer) || r.Remaining != 0) return false;
        view = new AskReplyView(id, (AskStatus)status, questionSeq, answerSeq, answer);
        return true;
    }
}
