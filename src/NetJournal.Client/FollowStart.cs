namespace NetJournal.Client;

/// <summary>
/// Where a follow starts: with the notes stored from now on (<see cref="Now"/>), strictly after a seq
/// (<see cref="After"/>, a cursor as journalctl's <c>--after-cursor</c>), or with the latest N matching notes first (<see cref="Last"/>).
/// </summary>
public readonly record struct FollowStart
{
    private FollowStart(ulong? afterSeq, ulong? lastN)
    {
        AfterSeq = afterSeq;
        LastN = lastN;
    }

    /// <summary>Strictly after this seq, or null.</summary>
    public ulong? AfterSeq { get; }

    /// <summary>The latest this many matching notes first, or null.</summary>
    public ulong? LastN { get; }

    /// <summary>Only notes stored from now on.</summary>
    public static FollowStart Now => default;

    /// <summary>Every matching note with a seq above <paramref name="seq"/> (0: the whole journal), then new ones.</summary>
    public static FollowStart After(ulong seq) => new(seq, null);

    /// <summary>The latest <paramref name="n"/> matching notes (0: none), then new ones.</summary>
    public static FollowStart Last(ulong n) => new(null, n);
}
