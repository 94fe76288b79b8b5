namespace NetJournal.Server;

/// <summary>
/// Append datagrams that came before an earlier number of their client instance, kept on the commit thread until
/// that number arrives, so a lost datagram holds up only its own retransmission, not everything sent after it (no
/// head-of-line blocking, as QUIC's streams avoid it). Only requests with <see cref="Protocol.HeaderFlags.AcceptsHeld"/>
/// are kept; each is answered Held at once and gets its real results when it is stored. Keyed by (instance,
/// FirstNumber): a retransmission of a held datagram is not kept twice. Bounded per instance (datagrams) and in all
/// (bytes, as <see cref="CommitQueue.Cost"/> counts them); a datagram that does not fit is answered Deferred, as to a
/// client without the flag. A held datagram whose turn does not come within the maximum age is dropped: its client
/// was told Held, never Stored, and sends it again. Single-threaded: the commit thread owns it.
/// </summary>
/// <param name="maxPerInstance">Datagrams held at most for one client instance.</param>
/// <param name="maxBytes">Memory the held datagrams may stand for in all.</param>
/// <param name="maxAgeMs">How long (ms) a datagram is held at most, from the time it was first held.</param>
internal sealed class HeldAppends(int maxPerInstance = HeldAppends.DefaultMaxPerInstance, long maxBytes = HeldAppends.DefaultMaxBytes,
    long maxAgeMs = HeldAppends.DefaultMaxAgeMs)
{
    public const int DefaultMaxPerInstance = 64;
    public const long DefaultMaxBytes = 16 << 20;
    public const long DefaultMaxAgeMs = 10_000;

    private readonly Dictionary<ulong, SortedList<ulong, AppendWork>> _byInstance = [];
    private readonly Stack<SortedList<ulong, AppendWork>> _spareLists = new();
    private readonly List<ulong> _emptied = [];
    private long _nextExpiryMs;

    /// <summary>Datagrams held.</summary>
    public int Count { get; private set; }

    /// <summary>The memory they stand for, as <see cref="CommitQueue.Cost"/> counts it.</summary>
    public long Bytes { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>How long a datagram is held at most, in ms.</summary>
    public long MaxAgeMs => maxAgeMs;

    /// <summary>
    /// Keeps <paramref name="work"/> until its turn. AlreadyHeld: a copy with the same FirstNumber is held, and this one
    /// is not kept. Full: the bounds are reached, unless the work was held before (<see cref="AppendWork.HeldSinceMs"/>:
    /// released and not due after all, or a retransmission that replaced its held copy), which keeps its place.
    /// </summary>
    public HoldOutcome TryHold(AppendWork work, long nowMs)
    {
        _byInstance.TryGetValue(work.Instance, out var held);
        if (held is not null && held.ContainsKey(work.FirstNumber)) return HoldOutcome.AlreadyHeld;
        var cost = CommitQueue.Cost(work);
        var heldBefore = work.HeldSinceMs != 0;
        if (!heldBefore && ((held?.Count ?? 0) >= maxPerInstance || Bytes + cost > maxBytes)) return HoldOutcome.Full;
        if (held is null)
        {
            held = _spareLists.TryPop(out var spare) ? spare : new SortedList<ulong, AppendWork>();
            _byInstance.Add(work.Instance, held);
        }
        held.Add(work.FirstNumber, work);
        if (!heldBefore) work.HeldSinceMs = nowMs;
        work.IsKept = true;
        Count++;
        Bytes += cost;
        return HoldOutcome.Kept;
    }

    /// <summary>Takes out the held copy of the datagram of <paramref name="instance"/> that starts at <paramref name="firstNumber"/>.</summary>
    public bool TryTake(ulong instance, ulong firstNumber, out AppendWork work)
    {
        work = null!;
        return _byInstance.TryGetValue(instance, out var held) && held.TryGetValue(firstNumber, out work!) && Remove(instance, held, held.IndexOfKey(firstNumber));
    }

    /// <summary>
    /// Takes out the lowest held datagram of <paramref name="after"/>'s instance if it starts at or below its Base: the
    /// client settled every number below Base, so it may be due. Call again until false.
    /// </summary>
    public bool TryTakeSettled(AppendWork after, out AppendWork work)
    {
        work = null!;
        if (!_byInstance.TryGetValue(after.Instance, out var held) || held.Keys[0] > after.Base) return false;
        work = held.Values[0];
        return Remove(after.Instance, held, 0);
    }

    /// <summary>Takes out the held datagram that starts where <paramref name="after"/> ends: it is due once that one is answered.</summary>
    public bool TryTakeNext(AppendWork after, out AppendWork work)
    {
        work = null!;
        if (!_byInstance.TryGetValue(after.Instance, out var held)) return false;
        var index = held.IndexOfKey(after.NextNumber);
        if (index < 0) return false;
        work = held.Values[index];
        return Remove(after.Instance, held, index);
    }

    /// <summary>
    /// Moves the datagrams held longer than the maximum age into <paramref name="expired"/>. Looks at most ten times
    /// per maximum age, so calling it after every commit costs nothing most of the time.
    /// </summary>
    public void Expire(long nowMs, List<AppendWork> expired)
    {
        if (IsEmpty || nowMs < _nextExpiryMs) return;
        _nextExpiryMs = nowMs + Math.Max(1, maxAgeMs / 10);
        foreach (var (instance, held) in _byInstance)
        {
            for (var i = held.Count - 1; i >= 0; i--)
            {
                var work = held.Values[i];
                if (nowMs - work.HeldSinceMs < maxAgeMs) continue;
                expired.Add(work);
                Forget(work);
                held.RemoveAt(i);
            }
            if (held.Count == 0) _emptied.Add(instance);
        }
        foreach (var instance in _emptied) Release(instance);
        _emptied.Clear();
    }

    /// <summary>Moves every held datagram into <paramref name="dropped"/> (the server stops: they were never acknowledged as stored).</summary>
    public void Clear(List<AppendWork> dropped)
    {
        foreach (var held in _byInstance.Values)
        {
            foreach (var work in held.Values)
            {
                Forget(work);
                dropped.Add(work);
            }
            held.Clear();
        }
        _byInstance.Clear();
    }

    private bool Remove(ulong instance, SortedList<ulong, AppendWork> held, int index)
    {
        Forget(held.Values[index]);
        held.RemoveAt(index);
        if (held.Count == 0) Release(instance);
        return true;
    }

    private void Forget(AppendWork work)
    {
        work.IsKept = false;
        Count--;
        Bytes -= CommitQueue.Cost(work);
    }

    private void Release(ulong instance)
    {
        if (_byInstance.Remove(instance, out var held) && _spareLists.Count < 64) _spareLists.Push(held);
    }
}
