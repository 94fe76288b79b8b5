namespace NetJournal.Protocol;

/// <summary>
/// A RetryChallenge read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The token is a span over the datagram.
/// </summary>
public readonly ref struct RetryChallengeView
{
    private RetryChallengeView(uint requestId, ReadOnlySpan<byte> token)
    {
        RequestId = requestId;
        Token = token;
    }

    public uint RequestId { get; }

    /// <summary>The token to repeat the request with, at most 64 bytes.</summary>
    public ReadOnlySpan<byte> Token { get; }

    /// <summary>Reads a whole datagram that holds a RetryChallenge; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out RetryChallengeView view)
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.RetryChallenge) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadBytes(ProtocolConstants.MaxTokenBytes, out ReadOnlySpan<byte> token) || r.Remaining != 0)
            return false;
        view = new RetryChallengeView(id, token);
        return true;
    }
}
