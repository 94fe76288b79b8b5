using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// A store that several servers write at once (PostgreSQL): a note stored through another server reaches this one
/// only through the store. A server whose store implements this feeds its commit listeners (followers, the web view)
/// from <see cref="Follow"/> instead of from its own commits, so they see every note of the journal, whichever server
/// stored it, in seq order, each once.
/// </summary>
public interface ISharedJournal
{
    /// <summary>
    /// Starts telling <paramref name="onNotes"/> of every note stored after <paramref name="afterSeq"/>, by any server,
    /// in seq order without gaps, on a thread of the store's own (one call at a time). The notes are read from the store,
    /// never taken from a commit in memory. While the store cannot be reached the feed waits and tries again, and
    /// resumes after the last seq it delivered; <paramref name="onTrouble"/> hears of each failure (null: silence).
    /// Disposing the result stops the feed and waits for a call in progress to return.
    /// </summary>
    IAsyncDisposable Follow(ulong afterSeq, Action<IReadOnlyList<Note>> onNotes, Action<Exception>? onTrouble = null);
}
