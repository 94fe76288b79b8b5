namespace NetJournal.Protocol;

/// <summary>
/// An AskRequest read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The token, name and question are spans over the datagram; the name and question are valid UTF-8.
/// </summary>
public readonly ref struct AskRequestView
{
    private AskRequestView(uint requestId, ReadOnlySpan<byte> token, ulong questionId, ReadOnlySpan<byte> name, ReadOnlySpan<byte> question)
    {
        RequestId = requestId;
        Token = token;
        QuestionId = questionId;
        Name = name;
        Question = question;
    }

    public uint RequestId { get; }

    /// <summary>The address-validation token, at most 64 bytes; empty on first contact.</summary>
    public ReadOnlySpan<byte> Token { get; }

    public ulong QuestionId { get; }

    /// <summary>The asker's name, at most <see cref="ProtocolConstants.MaxNameBytes"/> bytes of UTF-8.</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The question, at most <see cref="ProtocolConstants.MaxQuestionBytes"/> bytes of UTF-8.</summary>
    public ReadOnlySpan<byte> Question { get; }

    /// <summary>Reads a whole datagram that holds an AskRequest; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out AskRequestView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.AskRequest) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadBytes(ProtocolConstants.MaxTokenBytes, out ReadOnlySpan<byte> token)
            || !r.TryReadUInt64(out var questionId) || !r.TryReadUtf8(ProtocolConstants.MaxNameBytes, out var name)
            || !r.TryReadUtf8(ProtocolConstants.MaxQuestionBytes, out var question) || r.Remaining != 0)
            return false;
        view = new AskRequestView(id, token, questionId, name, question);
        return true;
    }
}
