using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// The one thread that writes the journal. It takes every append waiting in the queue, stores them with one
/// write and one fsync, and only then sends the acknowledgements: many concurrent appends share one flush.
/// Then it tells the commit listeners, if any, of the notes stored; their works must come from a queue that keeps the
/// notes' text (<see cref="CommitQueue"/> with keepText), since a native note's text otherwise lives only in its tail.
/// </summary>
internal sealed class GroupCommitter(
    IJournalStore store, ReplyGate replies, ServerCounters counters, ILogger logger, int maxBatchNotes,
    IReadOnlyList<ICommitListener>? listeners = null)
{
    private CommittedNote[] _committed = [];
    private readonly List<AppendWork> _works = [];
    private readonly List<PendingNote> _notes = [];
    private NoteResult[] _results = new NoteResult[1024];
    private readonly byte[] _ackBuffer = new byte[4096];
    private long _failuresInARow;

    public async Task RunAsync(CommitQueue queue)
    {
        // Ends when the queue is completed and drained: every note received before shutdown is stored and answered.
        while (await queue.WaitToReadAsync().ConfigureAwait(false)) CommitNext(queue);
    }

    /// <summary>
    /// Commits what is waiting, typed notes first, as one batch, and gives the works back to the queue for reuse
    /// once they are acknowledged.
    /// </summary>
    internal void CommitNext(CommitQueue queue)
    {
        while (_notes.Count < maxBatchNotes && queue.TryTakeInteractive(out var work)) Take(work);
        if (_works.Count == 0)
        {
            while (_notes.Count < maxBatchNotes && queue.TryTakeBulk(out var work)) Take(work);
        }
        else
        {
            // A batch carrying a typed note stays small, so its write and fsync are quick: bulk appends ride along
            // only while they fit whole (a receive batch of plain-text or syslog notes, at most 64, does; a packed
            // datagram of 150 does not).
            var limit = Math.Min(maxBatchNotes, _notes.Count + InteractiveBatchBulkNotes);
            while (queue.TryPeekBulk(out var next) && _notes.Count + next.Notes.Count <= limit && queue.TryTakeBulk(out var work)) Take(work);
        }
        CommitBatch();
        // The notes point into the works' buffers: let go of both before the receive thread refills them.
        _notes.Clear();
        foreach (var work in _works) queue.Return(work);
        _works.Clear();
    }

    private const int InteractiveBatchBulkNotes = 64;

    private void Take(AppendWork work)
    {
        _works.Add(work);
        _notes.AddRange(work.Notes.Items);
    }

    private void CommitBatch()
    {
        if (_results.Length < _notes.Count) _results = new NoteResult[Math.Max(_notes.Count, _results.Length * 2)];
        var error = _notes.Count == 0 ? null : store.Commit(_notes, _results);
        counters.Commit();
        if (error is not null)
        {
            counters.WriteFailure();
            if (_failuresInARow++ == 0 || _failuresInARow % 1000 == 0) ServerLog.WriteFailed(logger, _notes.Count, error.Message);
        }
        else if (_failuresInARow > 0 && _notes.Count > 0)
        {
            ServerLog.WriteRecovered(logger, _failuresInARow);
            _failuresInARow = 0;
        }
        var next = 0;
        foreach (var work in _works)
        {
            var results = _results.AsSpan(next, work.Notes.Count);
            next += work.Notes.Count;
            var stored = 0;
            foreach (var result in results)
            {
                if (result.Status == NoteStatus.Stored) stored++;
                else if (result.Status == NoteStatus.Duplicate) counters.Duplicate();
                else if (result.Status == NoteStatus.Rejected) counters.Rejection();
            }
            // One interlocked add per datagram, not per note: this is the commit thread's inner loop.
            if (stored > 0) counters.Stored(stored);
            if (work.ReplyTo is { } to)
            {
                var length = MessageCodec.EncodeAppendAck(work.Instance, work.FirstNumber, results, _ackBuffer);
                // An acknowledgement is never larger than three times its request, so it needs no token.
                replies.Send(_ackBuffer.AsSpan(0, length), to, work.RequestBytes, validated: false);
            }
        }
        // After the acks, and only what is durable; listeners never wait, so a slow one cannot delay a commit.
        if (error is null && _notes.Count > 0 && listeners is { Count: > 0 }) Tell(listeners);
    }

    /// <summary>The stored notes of the batch, from the notes and results in hand: made only when someone listens.</summary>
    private void Tell(IReadOnlyList<ICommitListener> to)
    {
        var count = 0;
        var time = store.LastCommitTimeMs;
        for (var i = 0; i < _notes.Count; i++)
        {
            if (_results[i].Status != NoteStatus.Stored) continue;
            if (count == _committed.Length) Array.Resize(ref _committed, Math.Max(64, count * 2));
            var n = _notes[i];
            _committed[count++] = new CommittedNote(_results[i].Seq, time, n.Client, n.Address, n.TextString(), n.Origin, n.Priority);
        }
        if (count == 0) return;
        foreach (var listener in to) listener.OnCommitted(_committed.AsSpan(0, count));
        // The strings go with the batch; the slots stay for the next one.
        Array.Clear(_committed, 0, count);
    }
}
