using System.Threading.Channels;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Web;

/// <summary>
/// One reader's queue of live notes from <see cref="NoteFeed"/>, in seq order, only those matching its filter. Bounded:
/// when the reader falls <c>capacity</c> notes behind, the queue is completed and <see cref="Overflowed"/> is set; the
/// notes already queued can still be read.
/// </summary>
public sealed class NoteSubscription : IDisposable
{
    private readonly NoteFeed _feed;
    private readonly HistoryFilter _filter;
    private readonly Channel<CommittedNote> _queue;
    private volatile bool _overflowed;

    internal NoteSubscription(NoteFeed feed, HistoryFilter filter, int capacity)
    {
        _feed = feed;
        _filter = filter;
        _queue = Channel.CreateBounded<CommittedNote>(new BoundedChannelOptions(capacity)
        { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The notes in seq order; completes when the subscription overflowed or was disposed.</summary>
    public ChannelReader<CommittedNote> Notes => _queue.Reader;

    /// <summary>The reader fell too far behind and the queue was closed: it should resume from history.</summary>
    public bool Overflowed => _overflowed;

    internal void Offer(ReadOnlySpan<CommittedNote> notes)
    {
        if (_overflowed) return;
        foreach (var note in notes)
        {
            if (!HistoryFilterMatch.Matches(_filter, note.Client, note.Address, note.TimeMs, note.Text)) continue;
            if (_queue.Writer.TryWrite(note)) continue;
            _overflowed = true;
            _queue.Writer.TryComplete();
            return;
        }
    }

    public void Dispose()
    {
        _feed.Remove(this);
        _queue.Writer.TryComplete();
    }
}
