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
    }

    private readonly Dictionary<ulong, Entry> _instances = [];
    private long _clock;

    public int InstanceCount => _instances.Count;

    public bool TryGetSettled(ulong instance, out ulong settled)
    {
        var found = _instances.TryGetValue(instance, out var e);
        settled = found ? e!.Settled : 0;
        return found;
    }

    public void Advance(ulong instance, ulong settled)
    {
        if (!_instances.TryGetValue(instance, out var e))
        {
            if (_instances.Count >= maxInstances) EvictOldest();
            e = new Entry();
            _instances.Add(instance, e);
        }
        e.LastUsed = ++_clock;
        if (settled > e.Settled) e.Settled = settled;
    }

    private void EvictOldest()
    {
        var cutoff = _instances.Values.Select(e => e.LastUsed).Order().ElementAt(_instances.Count / 2);
        foreach (var (key, e) in _instances.ToList())
            if (e.LastUsed <= cutoff) _instances.Remove(key);
    }
}
