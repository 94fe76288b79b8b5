using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.Web;

/// <summary>
/// The event stream's source: an <see cref="ICommitListener"/> that hands each durable note to every subscription whose
/// filter it matches, on the commit thread, without waiting: a subscription's queue is bounded, and one that is full is
/// closed (<see cref="NoteSubscription.Overflowed"/>) rather than slow the commit. Its reader then reconnects from its
/// last seq and catches up from history, so a slow browser loses nothing and costs the journal nothing.
/// </summary>
public sealed class NoteFeed : ICommitListener
{
    private readonly Lock _gate = new();
    // Copied on subscribe and unsubscribe (rare); read without a lock on every commit.
    private NoteSubscription[] _subscriptions = [];

    /// <summary>Subscriptions open now.</summary>
    public int Count => Volatile.Read(ref _subscriptions).Length;

    /// <summary>
    /// Only while a page follows: with none open the commit thread makes no note for the feed. A subscription made
    /// between a commit and this look reads that note from history, where it already is.
    /// </summary>
    public bool IsListening => Count > 0;

    /// <summary>
    /// Starts receiving the notes committed from now on that match <paramref name="filter"/>, at most
    /// <paramref name="capacity"/> waiting; dispose the subscription to stop.
    /// </summary>
    public NoteSubscription Subscribe(HistoryFilter filter, int capacity)
    {
        var subscription = new NoteSubscription(this, filter, capacity);
        lock (_gate) _subscriptions = [.. _subscriptions, subscription];
        return subscription;
    }

    internal void Remove(NoteSubscription subscription)
    {
        lock (_gate) _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
    }

    /// <summary>Commit thread: offers the notes to each subscription (a filter test and a queue write each).</summary>
    public void OnCommitted(ReadOnlySpan<CommittedNote> notes)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions)) subscription.Offer(notes);
    }
}
