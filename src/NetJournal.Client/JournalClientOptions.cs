namespace NetJournal.Client;

public sealed class JournalClientOptions
{
    /// <summary>The name notes are stored under.</summary>
    public string Name { get; set; } = Environment.UserName + "@" + Environment.MachineName;

    /// <summary>How long to keep retrying before telling the user the server does not answer.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retransmission timeout, before any round trip has been measured.</summary>
    public TimeSpan InitialTimeout { get; set; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan MinTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Append datagrams in flight at once.</summary>
    public int Window { get; set; } = 32;

    /// <summary>
    /// Note bytes in flight at once. Several bulk writers together must not fill the server's 4 MiB socket buffer,
    /// nor queue so much at the server that their own timers fire first: eight writers at 256 KiB each sent 6-7%
    /// of their notes twice, at 64 KiB none, at the same throughput.
    /// </summary>
    public int MaxInFlightBytes { get; set; } = 64 * 1024;

    /// <summary>Largest reply to ask for; null picks 1,232 bytes, or 65,000 when the server is on loopback.</summary>
    public int? MaxReply { get; set; }

    /// <summary>Largest append datagram to pack notes into; null picks 1,232 bytes, or 16 KiB on loopback.</summary>
    public int? MaxAppendBytes { get; set; }

    /// <summary>
    /// Most datagrams this client sends a second, retransmissions included; 0 sends as fast as it can. Kept below the
    /// server's default per-source limit (10,000 a second): a datagram over that limit is dropped unanswered and
    /// waits out a retransmission timeout. Lower it for a server whose --rate-limit is lower.
    /// </summary>
    public int MaxDatagramsPerSecond { get; set; } = DefaultMaxDatagramsPerSecond;

    public const int DefaultMaxDatagramsPerSecond = 8_000;

    /// <summary>History pages in flight at once.</summary>
    public int HistoryParallelism { get; set; } = 8;
}
