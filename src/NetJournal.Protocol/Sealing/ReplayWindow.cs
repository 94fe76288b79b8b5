namespace NetJournal.Protocol.Sealing;

/// <summary>
/// Which datagram counters of one session were already accepted: a sliding window of <see cref="Size"/> counters below
/// the highest seen, kept as a ring of 64-bit words (RFC 6479, after RFC 4303 §3.4.3's anti-replay window). A counter
/// below the window, or one already marked, is a replay. <see cref="Check"/> comes before authentication and
/// <see cref="Mark"/> after it, so a forged datagram never moves the window. Not thread-safe: one receiver owns it.
/// </summary>
public sealed class ReplayWindow
{
    /// <summary>Counters tracked below the highest: wide enough for a client's whole window of datagrams in flight, reordered.</summary>
    public const int Size = 4096 - 64;

    private const int Words = 4096 / 64;
    private readonly ulong[] _bits = new ulong[Words];
    private ulong _highest;
    private bool _any;

    /// <summary>True when <paramref name="counter"/> is new: above the highest seen, or inside the window and not yet marked.</summary>
    public bool Check(ulong counter)
    {
        if (!_any || counter > _highest) return true;
        if (_highest - counter >= Size) return false;
        return (_bits[(counter >> 6) % Words] & (1UL << (int)(counter & 63))) == 0;
    }

    /// <summary>Marks an authenticated counter as seen, sliding the window forward when it is the highest yet.</summary>
    public void Mark(ulong counter)
    {
        if (!_any)
        {
            _any = true;
            _highest = counter;
            Array.Clear(_bits);
        }
        else if (counter > _highest)
        {
            // Clear the words the window slides over (all of them after a jump wider than the ring).
            var from = (_highest >> 6) + 1;
            var to = counter >> 6;
            if (to - (_highest >> 6) >= Words) Array.Clear(_bits);
            else for (var w = from; w <= to; w++) _bits[w % Words] = 0;
            _highest = counter;
        }
        _bits[(counter >> 6) % Words] |= 1UL << (int)(counter & 63);
    }
}
