using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// Feeds the commit listeners from a store that several servers write (<see cref="ISharedJournal"/>): every note of the
/// journal after the last seq at start, in seq order, whichever server stored it, on the store's feed thread. A
/// listener's exception is a fault of the server, as on the commit thread.
/// </summary>
internal sealed class SharedJournalFeed(ISharedJournal store, ulong afterSeq, IReadOnlyList<ICommitListener> listeners, ILogger logger, Action<Exception> fault)
{
    private CommittedNote[] _committed = [];
    private bool _troubled;

    /// <summary>Starts the feed; disposing the result stops it.</summary>
    public IAsyncDisposable Start() => store.Follow(afterSeq, Deliver, Trouble);

    private void Deliver(IReadOnlyList<Note> notes)
    {
        if (_troubled)
        {
            _troubled = false;
            ServerLog.FeedRecovered(logger);
        }
        if (_committed.Length < notes.Count) _committed = new CommittedNote[Math.Max(64, notes.Count)];
        for (var i = 0; i < notes.Count; i++)
        {
            var n = notes[i];
            _committed[i] = new CommittedNote(n.Seq, n.TimeMs, n.Client, n.Address, n.Text, n.Origin, n.Priority);
        }
        try
        {
            foreach (var listener in listeners) listener.OnCommitted(_committed.AsSpan(0, notes.Count));
        }
        catch (Exception e)
        {
            // The server stops (Completion faults); the feed goes on until then, as the commit thread would not.
            fault(e);
        }
        finally
        {
            Array.Clear(_committed, 0, notes.Count);
        }
    }

    private void Trouble(Exception e)
    {
        // Said once per outage, not once per retry.
        if (_troubled) return;
        _troubled = true;
        ServerLog.FeedTrouble(logger, e.Message);
    }
}
