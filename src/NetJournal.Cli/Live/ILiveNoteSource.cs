namespace NetJournal.Cli.Live;

/// <summary>
/// The notes others store while a session is open, as they are stored: what the interactive session prints above the
/// line being typed. A seam between the session and the follow protocol, so the session is tested with a fake.
/// </summary>
public interface ILiveNoteSource
{
    /// <summary>
    /// Every note stored after seq <paramref name="afterSeq"/> (strictly after; null: from now on), each once, in seq
    /// order, with status lines between them (the server went away, is back); ends only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    IAsyncEnumerable<LiveNoteEvent> FollowAsync(ulong? afterSeq, CancellationToken cancellationToken);
}
