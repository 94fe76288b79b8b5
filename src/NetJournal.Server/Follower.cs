namespace NetJournal.Server;

/// <summary>
/// One follow: where its pushes go (an address that showed a token), what it follows, until when its lease runs, how
/// far its pushes are complete, and its push budget. Owned by the <see cref="FollowerRegistry"/>'s task.
/// </summary>
internal sealed class Follower(ClientAddress to, ulong subscription, FollowFilter filter, int maxReply)
{
    public ClientAddress To { get; } = to;
    public ulong Subscription { get; } = subscription;
    public FollowFilter Filter { get; set; } = filter;

    /// <summary>Largest push in bytes (the Follow's MaxReply, clamped as a history page's).</summary>
    public int MaxReply { get; set; } = maxReply;

    /// <summary>Unix ms after which the follower is forgotten, unless it renews.</summary>
    public long LeaseUntilMs { get; set; }

    /// <summary>
    /// The AfterSeq of its next push: every note after it up to the newest batch seen was either pushed in a later
    /// push or does not match. A push the budget dropped, or notes the registry never saw, leave it where the follower
    /// will see the gap (its own seq below it) and fetch it by history.
    /// </summary>
    public ulong CleanFrom { get; set; }

    /// <summary>Push bytes it may still send now (a token bucket refilled at the registry's rate).</summary>
    public double Budget { get; set; }

    /// <summary>Unix ms of the budget's last refill.</summary>
    public long BudgetAtMs { get; set; }

    public long Pushes { get; set; }
}
