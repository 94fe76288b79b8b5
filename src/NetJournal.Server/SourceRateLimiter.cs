using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetJournal.Server;

/// <summary>
/// A token bucket per source IP, in datagrams per second with a burst, checked before a datagram is decoded, so one
/// source sending as fast as it can gets its share and no more. Keyed by IP, not port: a flooder can change ports.
/// Used by the receive thread only, hence no locks; no allocation once a source is known. At most maxSources buckets:
/// when full, buckets that have refilled are forgotten (a full bucket is the same as none), then the least recently
/// seen, so a flood of forged sources cannot grow memory.
/// </summary>
internal sealed class SourceRateLimiter
{
    public const int DefaultMaxSources = 65_536;

    private readonly Dictionary<UInt128, Bucket> _buckets;
    private readonly double _tokensPerTick;
    private readonly double _burst;
    private readonly int _maxSources;
    private readonly long _reportTicks;
    private long[]? _lastSeen;
    private long _lastReport = long.MinValue;
    private long _droppedSinceReport;

    /// <param name="ticksPerSecond">The unit of the timestamps given to TryAcquire; Stopwatch ticks unless a test says otherwise.</param>
    public SourceRateLimiter(int perSecond, int burst, int maxSources = DefaultMaxSources, long ticksPerSecond = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSources);
        if (ticksPerSecond <= 0) ticksPerSecond = Stopwatch.Frequency;
        _tokensPerTick = (double)perSecond / ticksPerSecond;
        _burst = Math.Max(1, burst);
        _maxSources = maxSources;
        _reportTicks = 60 * ticksPerSecond;
        _buckets = new Dictionary<UInt128, Bucket>(Math.Min(maxSources, 1024));
    }

    public int TrackedSources => _buckets.Count;

    /// <summary>Buckets forgotten to stay within maxSources.</summary>
    public long Evicted { get; private set; }

    /// <param name="cost">What the datagram counts for (<see cref="NetJournal.Protocol.RateCost"/>): 1, or less for a page request with a token.</param>
    public bool TryAcquire(SocketAddress from, double cost = 1) => TryAcquire(KeyOf(from), Stopwatch.GetTimestamp(), cost);

    /// <summary>True if the datagram may go on; false if its source is over the limit and it should be dropped.</summary>
    internal bool TryAcquire(UInt128 source, long now, double cost = 1)
    {
        ref var bucket = ref CollectionsMarshal.GetValueRefOrNullRef(_buckets, source);
        if (Unsafe.IsNullRef(ref bucket))
        {
            if (_buckets.Count >= _maxSources) MakeRoom(now);
            _buckets.Add(source, new Bucket { Tokens = _burst - cost, Last = now });
            return true;
        }
        var tokens = Math.Min(_burst, bucket.Tokens + Math.Max(0, now - bucket.Last) * _tokensPerTick);
        bucket.Last = now;
        if (tokens < cost)
        {
            bucket.Tokens = tokens;
            _droppedSinceReport++;
            return false;
        }
        bucket.Tokens = tokens - cost;
        return true;
    }

    /// <summary>
    /// True at most once a minute while datagrams are being dropped, with the number dropped since the previous
    /// report: a flood makes one log line a minute, never one per datagram.
    /// </summary>
    public bool TakeReport(out long dropped) => TakeReport(Stopwatch.GetTimestamp(), out dropped);

    internal bool TakeReport(long now, out long dropped)
    {
        dropped = _droppedSinceReport;
        if (dropped == 0 || (_lastReport != long.MinValue && now - _lastReport < _reportTicks)) return false;
        _lastReport = now;
        _droppedSinceReport = 0;
        return true;
    }

    /// <summary>The source IP as 128 bits, IPv4 as ::ffff:a.b.c.d (as a dual-stack socket reports it); the port is left out.</summary>
    internal static UInt128 KeyOf(SocketAddress address)
    {
        // sockaddr_in6 holds the address at bytes 8..23 and sockaddr_in at 4..7, on Linux, Windows and macOS alike.
        var bytes = address.Buffer.Span;
        if (address.Family == AddressFamily.InterNetworkV6 && bytes.Length >= 24)
            return BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(8, 16));
        if (address.Family == AddressFamily.InterNetwork && bytes.Length >= 8)
            return (UInt128)0xFFFF_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4, 4));
        return 0;
    }

    internal static UInt128 KeyOf(IPAddress ip) => KeyOf(new IPEndPoint(ip, 0).Serialize());

    /// <summary>Frees at least a quarter of the table, so the O(n) sweep runs once per many new sources.</summary>
    private void MakeRoom(long now)
    {
        var target = _maxSources - Math.Max(1, _maxSources / 4);
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.Tokens + Math.Max(0, now - bucket.Last) * _tokensPerTick >= _burst)
            {
                _buckets.Remove(key);
                Evicted++;
            }
        }
        if (_buckets.Count <= target) return;
        // Still too many active sources (a forged-source flood): forget the ones seen longest ago.
        _lastSeen ??= new long[_maxSources];
        var n = 0;
        foreach (var bucket in _buckets.Values) _lastSeen[n++] = bucket.Last;
        Array.Sort(_lastSeen, 0, n);
        var cutoff = _lastSeen[n - target - 1];
        foreach (var (key, bucket) in _buckets)
        {
            if (_buckets.Count <= target) break;
            if (bucket.Last <= cutoff)
            {
                _buckets.Remove(key);
                Evicted++;
            }
        }
    }

    private struct Bucket
    {
        public double Tokens;
        public long Last;
    }
}
