namespace NetJournal.Server;

/// <summary>What <see cref="HeldAppends.TryHold"/> did with a datagram.</summary>
internal enum HoldOutcome
{
    /// <summary>Kept until its turn.</summary>
    Kept,

    /// <summary>A copy with the same instance and FirstNumber is held already; this one is not kept.</summary>
    AlreadyHeld,

    /// <summary>The bounds are reached: not kept, answered Deferred.</summary>
    Full,
}
