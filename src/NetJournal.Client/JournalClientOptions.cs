namespace NetJournal.Client;

public sealed class JournalClientOptions
{
    /// <summary>The name notes are stored under.</summary>
    public string Name { get; set; } = Environment.UserName + "@" + Environment.MachineName;

    /// <summary>
    /// How long to wait with nothing at all from the server before giving up (the CLI's --timeout): a slow read or
    /// write that still makes progress goes on.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The probe timeout before any round trip has been measured (RFC 9002's is 3 × 333 ms; a LAN is faster).</summary>
    public TimeSpan InitialTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The least probe timeout (<see cref="RttEstimator.ProbeTimeout"/>). A few milliseconds: the timeout follows the
    /// measured RTT, and loss found by later answers is resent without waiting for it at all.
    /// </summary>
    public TimeSpan MinTimeout { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The most any wait for an answer is, backoff included; also the safety-net timer of a deferred datagram.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Append datagrams in flight at once.</summary>
    public int Window { get; set; } = 32;

    /// <summary>
    /// Note bytes in flight at once: four loopback datagrams. Several bulk writers together must not fill the server's
    /// 4 MiB socket buffer, nor queue so much at the server that their own timers fire first: eight writers at 256 KiB
    /// each sent 6-7% of their notes twice, at 64 KiB none. Elsewhere <see cref="Window"/> datagrams of 1,232 bytes
    /// are the limit.
    /// </summary>
    public int MaxInFlightBytes { get; set; } = 128 * 1024;

    /// <summary>Largest reply to ask for; null picks 1,232 bytes, or 65,000 when the server is on loopback.</summary>
    public int? MaxReply { get; set; }

    /// <summary>Largest append datagram to pack notes into; null picks 1,232 bytes, or 32 KiB on loopback (each datagram costs a wake-up on both sides: fewer, larger ones cost less CPU).</summary>
    public int? MaxAppendBytes { get; set; }

    /// <summary>
    /// Most datagrams this client sends a second, retransmissions included; 0 sends as fast as it can. Kept below the
    /// server's default per-source limit (10,000 a second): a datagram over that limit is dropped unanswered and
    /// waits out a retransmission timeout. Lower it for a server whose --rate-limit is lower.
    /// </summary>
    public int MaxDatagramsPerSecond { get; set; } = DefaultMaxDatagramsPerSecond;

    public const int DefaultMaxDatagramsPerSecond = 8_000;

    /// <summary>History segments read at once to begin with; loss halves it, clean pages grow it back up to twice this.</summary>
    public int HistoryParallelism { get; set; } = 8;
}
