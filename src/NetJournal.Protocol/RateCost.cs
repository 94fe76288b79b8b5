namespace NetJournal.Protocol;

/// <summary>
/// What a datagram costs against a per-source rate limit, read from its first bytes without decoding it: a history
/// page request that carries a token costs a quarter, anything else one. A token shows that the address receives what
/// is sent to it, and a page request is answered by the query thread, not the commit thread that typed notes wait on,
/// so a client reading a long history in small pages (about 8 notes each off loopback) may ask four times as often.
/// A made-up token passes this check but earns only a RetryChallenge. The client paces itself by the same rule.
/// </summary>
public static class RateCost
{
    public const double Full = 1.0;
    public const double HistoryRequestWithToken = 0.25;

    /// <summary>Offset of a HistoryRequest's token length: the header, then the u32 RequestId.</summary>
    private const int TokenLengthOffset = ProtocolConstants.HeaderSize + 4;

    /// <remarks>
    /// A sealed HistoryRequest (protocol.md §8) hides its token, so it counts a quarter on its type alone: the client
    /// counts the plain request it sealed, whose token it sends from the second page on, and a forged one costs the
    /// server one failed authentication.
    /// </remarks>
    public static double Of(ReadOnlySpan<byte> datagram)
    {
        if (Sealing.SealedDatagram.IsSealed(datagram)) return datagram[4] == (byte)MessageType.HistoryRequest ? HistoryRequestWithToken : Full;
        return datagram.Length > TokenLengthOffset && DatagramHeader.TryRead(datagram, out var header)
        && header.Type == MessageType.HistoryRequest && datagram[TokenLengthOffset] != 0
            ? HistoryRequestWithToken
            : Full;
    }
}
