namespace NetJournal.Client;

public sealed record WriteSummary(long Sent, long Stored, long Refused, long Unanswered, long Retransmissions)
{
    public long NotStored => Refused + Unanswered;

    /// <summary>From the first note taken to the last outcome.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>
    /// For every answered note: from its datagram's first transmission to the answer that settled it (stored or
    /// refused), retransmissions and deferrals included. Notes refused before sending, or never answered, are not in it.
    /// </summary>
    public LatencyHistogram AckLatency { get; init; } = new();
}
