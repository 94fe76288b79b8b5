namespace NetJournal.Client;

/// <summary>
/// Note numbers handed out but not yet finally answered. Numbers are taken in order and mostly settled in
/// order, so the lowest unsettled one advances by a counter; only numbers settled ahead of it are remembered.
/// </summary>
internal sealed class UnsettledNumbers
{
    private readonly HashSet<ulong> _settledAhead = [];
    private ulong _next = 1;
    private ulong _lowest = 1;

    /// <summary>Takes the next <paramref name="count"/> numbers and returns the first.</summary>
    public ulong Take(int count)
    {
        var first = _next;
        _next += (ulong)count;
        return first;
    }

    /// <summary>Marks numbers [first, first + count) as answered; settling one twice changes nothing.</summary>
    public void Settle(ulong first, int count)
    {
        for (var n = first; n < first + (ulong)count; n++)
        {
            if (n < _lowest || n >= _next) continue;
            if (n != _lowest)
            {
                _settledAhead.Add(n);
                continue;
            }
            _lowest++;
            while (_settledAhead.Remove(_lowest)) _lowest++;
        }
    }

    /// <summary>The lowest number without a final answer, or the next to be taken when all are answered.</summary>
    public ulong Lowest => _lowest;
}
