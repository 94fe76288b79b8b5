namespace NetJournal.Storage;

/// <summary>
/// Per client instance, the highest number settled so far. Notes are stored strictly in their client's
/// order, so one number per instance is all deduplication needs: a number at or below it is a retry,
/// the next one is due, anything further must wait. Instances idle the longest are forgotten first
/// when the table is full. Single-threaded: the commit loop owns it.
/// </summary>
public sealed class DedupTable(int maxInstances = 100_000)
{
    private sealed class Entry
    {
        public ulong Settled;
        public long LastUsed;

        // Numbers answered StorageFailed (the disk was full): settled, but not stored. Recent ones only.
        public HashSet<ulong>? Refused;
    }

    private const int MaxRefusedPerInstance = 4096;

    private readonly Dictionary<ulong, Entry> _instances = [];
    private long _clock;

    public int InstanceCount => _instances.Count;

    public bool TryGetSettled(ulong instance, out ulong settled)
    {
        var found = _instances.TryGetValue(instance, out var e);
        settled = found ? e!.Settled : 0;
        return found;
    }

    /// <summary>Remembers that a number was refused for a failed write, so a later copy is refused again.</summary>
    public void Refuse(ulong instance, ulong number)
    {
        var e = EntryFor(instance);
        e.Refused ??= [];
        if (e.Refused.Count >= MaxRefusedPerInstance) e.Refused.Clear();
        e.Refused.Add(number);
    }

    public bool WasRefused(ulong instance, ulong number) =>
        _instances.TryGetValue(instance, out var e) && e.Refused is { } refused && refused.Contains(number);

    public void Advance(ulong instance, ulong settled)
    {
        var e = EntryFor(instance);
        if (settled > e.Settled) e.Settled = settled;
    }

    private Entry EntryFor(ulong instance)
    {
        if (!_instances.TryGetValue(instance, out var e))
        {
            if (_instances.Count >= maxInstances) EvictOldest();
            e = new Entry();
            _instances.Add(instance, e);
        }
        e.LastUsed = ++_clock;
        return e;
    }

    private void EvictOldest()
    {
        var cutoff = _instances.Values.Select(e => e.LastUsed).Order().ElementAt(_instances.Count / 2);
        foreach (var (key, e) in _instances.ToList())
            if (e.LastUsed <= cutoff) _instances.Remove(key);
    }
}
