namespace NetJournal.Client;

public sealed record WriteSummary(long Sent, long Stored, long Refused, long Unanswered, long Retransmissions)
{
    public long NotStored => Refused + Unanswered;
}
