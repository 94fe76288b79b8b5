namespace NetJournal.Client;

/// <summary>
/// When a datagram still unanswered counts as lost because a later one was answered (RFC 9002 §6.1): it was sent
/// at least <see cref="PacketThreshold"/> transmissions before the latest answered one, or it was sent before that
/// one and <see cref="RttEstimator.LossDelay"/> has passed since. Transmissions are numbered in the order they
/// leave (a resend takes a new number), like QUIC's packet numbers; any answer counts, Deferred too.
/// </summary>
public static class LossRule
{
    /// <summary>RFC 9002's kPacketThreshold: reordering by fewer transmissions is not taken for loss.</summary>
    public const long PacketThreshold = 3;

    /// <summary>
    /// Lost now, or not yet: <paramref name="lostAt"/> says when it will be by the time threshold if nothing else
    /// is answered (<see cref="TimeSpan.MaxValue"/> when no later transmission was answered, so only a probe can tell).
    /// </summary>
    /// <param name="sent">This transmission's number.</param>
    /// <param name="sentAt">When it left, on the caller's clock.</param>
    /// <param name="largestAnswered">The number of the latest transmission answered so far (0: none).</param>
    public static bool IsLost(long sent, TimeSpan sentAt, long largestAnswered, TimeSpan now, TimeSpan lossDelay, out TimeSpan lostAt)
    {
        lostAt = TimeSpan.MaxValue;
        if (sent >= largestAnswered) return false;
        if (sent + PacketThreshold <= largestAnswered) return true;
        lostAt = sentAt + lossDelay;
        return now >= lostAt;
    }
}
