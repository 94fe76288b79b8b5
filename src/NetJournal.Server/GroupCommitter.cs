using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// The one thread that writes the journal. It takes every append waiting in the queue, stores them with one
/// write and one fsync, and only then sends the acknowledgements: many concurrent appends share one flush.
/// Then it tells the commit listeners, if any, of the notes stored; their works must come from a queue that keeps the
/// notes' text (<see cref="CommitQueue"/> with keepText), since a native note's text otherwise lives only in its tail.
/// A datagram that came before an earlier number of its client, from a client that accepts Held, is kept in
/// <paramref name="held"/> and answered Held; it is committed, and answered again, in the batch that brings its turn.
/// </summary>
internal sealed class GroupCommitter(
    IJournalStore store, ReplyGate replies, ServerCounters counters, ILogger logger, int maxBatchNotes,
    IReadOnlyList<ICommitListener>? listeners = null, HeldAppends? held = null, TimeProvider? time = null)
{
    private CommittedNote[] _committed = [];
    private readonly List<ICommitListener> _listening = [];
    private readonly List<AppendWork> _works = [];
    // Beside each work of _works: true when it was taken out of the hold rather than the queue (it had its Held answer).
    private readonly List<bool> _released = [];
    private int _batchNotes;
    private readonly List<PendingNote> _notes = [];
    private NoteResult[] _results = new NoteResult[1024];
    private readonly byte[] _ackBuffer = new byte[4096];
    private readonly HeldAppends _held = held ?? new HeldAppends();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly NoteResult[] _heldResults = Enumerable.Repeat(NoteResult.Held, ProtocolConstants.MaxNotesPerAppend).ToArray();
    // Works of the batch answered for good, and held works that they made due, for the next batch.
    private readonly List<AppendWork> _answered = [];
    private readonly List<AppendWork> _ready = [];
    private readonly List<AppendWork> _dropped = [];
    private long _failuresInARow;

    public async Task RunAsync(CommitQueue queue)
    {
        // Ends when the queue is completed and drained: every note received before shutdown is stored and answered.
        // While datagrams are held, it wakes now and then to let go of those whose turn did not come.
        while (_ready.Count > 0 || await queue.WaitToReadAsync(_held.IsEmpty ? Timeout.Infinite : ExpiryWakeMs).ConfigureAwait(false))
            CommitNext(queue);
        // What is still held was never acknowledged as stored: its clients send it again.
        _held.Clear(_dropped);
        ReturnDropped(queue);
    }

    private int ExpiryWakeMs => (int)Math.Clamp(_held.MaxAgeMs / 10, 1, 1000);

    /// <summary>
    /// Commits what is waiting, typed notes first, as one batch, with the held datagrams that it makes due, and gives
    /// the works back to the queue for reuse once they are acknowledged (but those held). Then drops the held
    /// datagrams that waited too long.
    /// </summary>
    internal void CommitNext(CommitQueue queue)
    {
        // Held datagrams that the last batch made due come first: their turn came already.
        foreach (var work in _ready)
        {
            work.IsKept = false;
            Take(work, released: true);
        }
        _ready.Clear();
        var typed = false;
        while (_batchNotes < maxBatchNotes && queue.TryTakeInteractive(out var work))
        {
            Take(work);
            typed = true;
        }
        if (!typed)
        {
            while (_batchNotes < maxBatchNotes && queue.TryTakeBulk(out var work)) Take(work);
        }
        else
        {
            // A batch carrying a typed note stays small, so its write and fsync are quick: bulk appends ride along
            // only while they fit whole (a receive batch of plain-text or syslog notes, at most 64, does; a packed
            // datagram of 150 does not).
            var limit = Math.Min(maxBatchNotes, _batchNotes + InteractiveBatchBulkNotes);
            while (queue.TryPeekBulk(out var next) && _batchNotes + next.Notes.Count <= limit && queue.TryTakeBulk(out var work)) Take(work);
        }
        if (_works.Count > 0)
        {
            if (!_held.IsEmpty) TakeHeldDue(queue);
            for (var i = 0; i < _works.Count; i++) AddNotes(_works[i], _released[i]);
            CommitBatch();
            // The notes point into the works' buffers: let go of both before the receive thread refills them.
            _notes.Clear();
            foreach (var work in _works)
                if (!work.IsKept) queue.Return(work);
            _works.Clear();
            _released.Clear();
            _batchNotes = 0;
        }
        if (!_held.IsEmpty) Expire(queue);
    }

    private const int InteractiveBatchBulkNotes = 64;

    private void Take(AppendWork work, bool released = false) => Insert(_works.Count, work, released);

    /// <summary>
    /// A held datagram's notes carry the Base they came with; a later request may have raised it (the store reads the
    /// Base of an instance's first note in the batch).
    /// </summary>
    private void AddNotes(AppendWork work, bool released)
    {
        if (!released)
        {
            _notes.AddRange(work.Notes.Items);
            return;
        }
        foreach (var note in work.Notes.Items) _notes.Add(note.Base < work.Base ? note with { Base = work.Base } : note);
    }

    private void Insert(int index, AppendWork work, bool released)
    {
        _works.Insert(index, work);
        _released.Insert(index, released);
        _batchNotes += work.Notes.Count;
    }

    /// <summary>
    /// Puts the held datagrams that the batch's datagrams may make due beside them, so they share its write: those a
    /// datagram's Base settles the way to go before it, the one that follows it right after it. One that is not due
    /// after all is held again. A retransmission of a held datagram replaces the held copy: it carries the newer Base
    /// and address.
    /// </summary>
    private void TakeHeldDue(CommitQueue queue)
    {
        for (var i = 0; i < _works.Count && !_held.IsEmpty; i++)
        {
            var work = _works[i];
            if (work.ReplyTo is null) continue;
            if (!_released[i] && work.AcceptsHeld && _held.TryTake(work.Instance, work.FirstNumber, out var copy))
            {
                work.HeldSinceMs = copy.HeldSinceMs;
                queue.Return(copy);
            }
            if (_held.TryTakeSettled(work, out var earlier))
            {
                earlier.RaiseBase(work.Base);
                // Look at the earlier one first (what follows it), then at this one again.
                Insert(i, earlier, released: true);
                i--;
                continue;
            }
            if (_held.TryTakeNext(work, out var following))
            {
                following.RaiseBase(work.Base);
                Insert(i + 1, following, released: true);
            }
        }
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
        for (var w = 0; w < _works.Count; w++)
        {
            var work = _works[w];
            var results = _results.AsSpan(next, work.Notes.Count);
            next += work.Notes.Count;
            if (work.AcceptsHeld && IsDeferred(results) && Hold(work, _released[w])) continue;
            if (work.ReplyTo is not null) _answered.Add(work);
            var stored = 0;
            foreach (var result in results)
            {
                if (result.Status == NoteStatus.Stored) stored++;
                else if (result.Status == NoteStatus.Duplicate) counters.Duplicate();
                else if (result.Status == NoteStatus.Rejected) counters.Rejection();
            }
            // One interlocked add per datagram, not per note: this is the commit thread's inner loop.
            if (stored > 0) counters.Stored(stored);
            if (work.ReplyTo is { } to) Acknowledge(work, results, to);
            else if (work.Completion is { } done) done.TrySetResult(new AppendResult(results[0], results[0].Status == NoteStatus.Stored ? store.LastCommitTimeMs : 0));
        }
        if (!_held.IsEmpty) FindReady();
        _answered.Clear();
        // After the acks, and only what is durable; listeners never wait, so a slow one cannot delay a commit.
        if (error is null && _notes.Count > 0 && listeners is { Count: > 0 }) Tell(listeners);
    }

    /// <summary>
    /// Held datagrams that this batch made due but could not take in its own write: one whose predecessor came later in
    /// the batch (the network reordered them) is committed in the next batch.
    /// </summary>
    private void FindReady()
    {
        foreach (var work in _answered)
        {
            while (_held.TryTakeSettled(work, out var due)) Ready(due, work.Base);
            if (_held.TryTakeNext(work, out var next)) Ready(next, work.Base);
        }
    }

    private void Ready(AppendWork work, ulong @base)
    {
        work.RaiseBase(@base);
        work.IsKept = true;
        _ready.Add(work);
    }

    private void Acknowledge(AppendWork work, ReadOnlySpan<NoteResult> results, ClientAddress to)
    {
        var length = MessageCodec.EncodeAppendAck(work.Instance, work.FirstNumber, results, _ackBuffer);
        // An acknowledgement is never larger than three times its request, so it needs no token.
        replies.Send(_ackBuffer.AsSpan(0, length), to, work.RequestBytes, validated: false);
    }

    /// <summary>Deferral applies to a whole datagram (§5.2 of the protocol): its notes but refused ones are Deferred.</summary>
    private static bool IsDeferred(ReadOnlySpan<NoteResult> results)
    {
        foreach (var result in results)
            if (result.Status == NoteStatus.Deferred) return true;
        return false;
    }

    /// <summary>
    /// Keeps a deferred datagram until its turn and answers it Held, once: a datagram taken out of the hold and not due
    /// after all goes back without a word. False when the hold is full: the datagram is answered Deferred, as before.
    /// </summary>
    private bool Hold(AppendWork work, bool released)
    {
        var firstTime = work.HeldSinceMs == 0;
        switch (_held.TryHold(work, NowMs()))
        {
            case HoldOutcome.Kept:
                if (firstTime) counters.Hold();
                counters.HeldBytes(_held.Bytes);
                break;
            case HoldOutcome.AlreadyHeld:
                // A copy of a held datagram: answered Held again, not kept twice.
                break;
            default:
                return false;
        }
        if (!released && work.ReplyTo is { } to) Acknowledge(work, _heldResults.AsSpan(0, work.Notes.Count), to);
        return true;
    }

    private void Expire(CommitQueue queue)
    {
        _held.Expire(NowMs(), _dropped);
        if (_dropped.Count == 0) return;
        counters.HeldExpire(_dropped.Count);
        ReturnDropped(queue);
    }

    private void ReturnDropped(CommitQueue queue)
    {
        foreach (var work in _dropped) queue.Return(work);
        _dropped.Clear();
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The stored notes of the batch, from the notes and results in hand: made only when someone listens.</summary>
    private void Tell(IReadOnlyList<ICommitListener> to)
    {
        // Who listens is looked at once a batch; the notes are offered to those alone.
        _listening.Clear();
        foreach (var listener in to)
        {
            if (listener.IsListening) _listening.Add(listener);
        }
        if (_listening.Count == 0) return;
        var count = 0;
        var time = store.LastCommitTimeMs;
        for (var i = 0; i < _notes.Count; i++)
        {
            if (_results[i].Status != NoteStatus.Stored) continue;
            var n = _notes[i];
            if (!AnyWants(n)) continue;
            if (count == _committed.Length) Array.Resize(ref _committed, Math.Max(64, count * 2));
            _committed[count++] = new CommittedNote(_results[i].Seq, time, n.Client, n.Address, n.TextString(), n.Origin, n.Priority);
        }
        if (count > 0)
        {
            foreach (var listener in _listening) listener.OnCommitted(_committed.AsSpan(0, count));
            // The strings go with the batch; the slots stay for the next one.
            Array.Clear(_committed, 0, count);
        }
        _listening.Clear();
    }

    private bool AnyWants(in PendingNote note)
    {
        foreach (var listener in _listening)
        {
            if (listener.Wants(note)) return true;
        }
        return false;
    }
}
