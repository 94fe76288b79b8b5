using System.Collections.Concurrent;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// Appends waiting for the commit thread, in two lanes. A note typed by a person (a small datagram from a
/// client with nothing else in flight) goes in the interactive lane and is taken first, so it never waits
/// behind tens of thousands of bulk notes; per-client order is unaffected, since the store keeps each
/// client's numbering order anyway. Bounded in bytes, not in datagrams: a single-note datagram (plain text,
/// syslog) costs little, so many can wait through a stall, while large appends fill it sooner. When full, a
/// datagram is refused (dropped; a NetJournal client retries). Writers: the receive thread, and callers of
/// <see cref="JournalServer.AppendAsync"/> (the web view, the bot); one reader (the commit thread).
/// It also keeps the works that were committed, for the receive thread to fill again (<see cref="Rent"/>); their notes are
/// prepared by the store's <paramref name="encoder"/> (null: <see cref="JournalStore"/>'s), keeping native notes' text
/// too when <paramref name="keepText"/> (a server with commit listeners).
/// </summary>
internal sealed class CommitQueue(long capacityBytes, IPendingNoteEncoder? encoder = null, bool keepText = false)
{
    /// <summary>What a queued note holds beside its datagram's bytes: its encoded line and its entry.</summary>
    internal const int BytesPerNote = 512;

    private readonly ConcurrentQueue<AppendWork> _interactive = new();
    private readonly ConcurrentQueue<AppendWork> _bulk = new();
    private readonly ConcurrentQueue<AppendWork> _free = new();
    private readonly SemaphoreSlim _signal = new(0);
    private int _count;
    private long _bytes;
    private volatile bool _completed;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The memory the queued works stand for, as <see cref="Cost"/> counts it.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    internal static long Cost(AppendWork work) => work.RequestBytes + (long)BytesPerNote * work.Notes.Count;

    // Enough for every datagram of a busy batch; larger works (a long plain-text flood of escapes) go to the GC. A
    // work of a full loopback datagram holds its notes' tails and, for commit listeners, their text: 100 KB and more.
    // Works too large to keep were made anew for each datagram, their buffers grown by doubling each time, which cost
    // the server more than storing the notes. What the free works hold is bounded in all (MaxFreeBytes).
    private const int MaxFree = 4096;
    private const int MaxRetainedBytes = 256 * 1024;
    private const long MaxFreeBytes = 32L * 1024 * 1024;
    private long _freeBytes;

    /// <summary>An empty work, reused when one is free. Fill it with <see cref="AppendWork.Start"/>.</summary>
    public AppendWork Rent()
    {
        if (!_free.TryDequeue(out var work)) return new AppendWork(encoder, keepText);
        Interlocked.Add(ref _freeBytes, -work.Notes.RetainedBytes);
        return work;
    }

    /// <summary>Takes back a work that was committed and acknowledged, or refused by <see cref="TryWrite"/>.</summary>
    public void Return(AppendWork work)
    {
        work.Reset();
        var retained = work.Notes.RetainedBytes;
        if (retained > MaxRetainedBytes || _free.Count >= MaxFree) return;
        if (Interlocked.Add(ref _freeBytes, retained) > MaxFreeBytes)
        {
            Interlocked.Add(ref _freeBytes, -retained);
            return;
        }
        _free.Enqueue(work);
    }

    public bool TryWrite(AppendWork work, bool interactive)
    {
        var cost = Cost(work);
        if (_completed || Interlocked.Add(ref _bytes, cost) > capacityBytes)
        {
            if (!_completed) Interlocked.Add(ref _bytes, -cost);
            return false;
        }
        Interlocked.Increment(ref _count);
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

    /// <summary>
    /// Waits until a work is queued, or at most <paramref name="millisecondsTimeout"/> (then true with nothing queued);
    /// false once the queue is completed and drained.
    /// </summary>
    public async Task<bool> WaitToReadAsync(int millisecondsTimeout = Timeout.Infinite)
    {
        while (true)
        {
            if (!_interactive.IsEmpty || !_bulk.IsEmpty) return true;
            if (_completed) return false;
            if (!await _signal.WaitAsync(millisecondsTimeout).ConfigureAwait(false)) return true;
        }
    }

    public bool TryTakeInteractive(out AppendWork work) => Taken(_interactive.TryDequeue(out work!), work);

    public bool TryTakeBulk(out AppendWork work) => Taken(_bulk.TryDequeue(out work!), work);

    /// <summary>The next bulk work, left in the queue; only the one reader may act on it.</summary>
    public bool TryPeekBulk(out AppendWork work) => _bulk.TryPeek(out work!);

    private bool Taken(bool taken, AppendWork work)
    {
        if (!taken) return false;
        Interlocked.Decrement(ref _count);
        Interlocked.Add(ref _bytes, -Cost(work));
        return true;
    }
}
