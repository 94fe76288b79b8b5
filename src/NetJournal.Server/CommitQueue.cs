using System.Collections.Concurrent;

namespace NetJournal.Server;

/// <summary>
/// Appends waiting for the commit thread, in two lanes. A note typed by a person (a small datagram from a
/// client with nothing else in flight) goes in the interactive lane and is taken first, so it never waits
/// behind tens of thousands of bulk notes; per-client order is unaffected, since the store keeps each
/// client's numbering order anyway. Bounded: when full, a datagram is refused and the client retries.
/// One writer (the receive thread), one reader (the commit thread).
/// </summary>
internal sealed class CommitQueue(int capacity)
{
    private readonly ConcurrentQueue<AppendWork> _interactive = new();
    private readonly ConcurrentQueue<AppendWork> _bulk = new();
    private readonly SemaphoreSlim _signal = new(0);
    private int _count;
    private volatile bool _completed;

    public int Count => Volatile.Read(ref _count);

    public bool TryWrite(AppendWork work, bool interactive)
    {
        if (_completed || Interlocked.Increment(ref _count) > capacity)
        {
            if (!_completed) Interlocked.Decrement(ref _count);
            return false;
        }
        (interactive ? _interactive : _bulk).Enqueue(work);
        // A waiting reader sleeps on a zero count; one release is enough however many works arrive before it wakes.
        if (_signal.CurrentCount == 0) _signal.Release();
        return true;
    }

    public void Complete()
    {
        _completed = true;
        _signal.Release();
    }

    /// <summary>Waits until a work is queued; false once the queue is completed and drained.</summary>
    public async Task<bool> WaitToReadAsync()
    {
        while (true)
        {
            if (!_interactive.IsEmpty || !_bulk.IsEmpty) return true;
            if (_completed) return false;
            await _signal.WaitAsync().ConfigureAwait(false);
        }
    }

    public bool TryTakeInteractive(out AppendWork work) => Taken(_interactive.TryDequeue(out work!));

    public bool TryTakeBulk(out AppendWork work) => Taken(_bulk.TryDequeue(out work!));

    private bool Taken(bool taken)
    {
        if (taken) Interlocked.Decrement(ref _count);
        return taken;
    }
}
