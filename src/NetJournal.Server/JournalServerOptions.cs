using System.Net;
using NetJournal.Storage;

namespace NetJournal.Server;

public sealed class JournalServerOptions
{
    public const int DefaultPort = 9527;

    public IPAddress Bind { get; set; } = IPAddress.IPv6Any;
    public int Port { get; set; } = DefaultPort;
    public string DataDirectory { get; set; } = "netjournal-data";

    /// <summary>Socket receive buffer asked of the kernel; bursts from many writers land here while a batch is fsynced.</summary>
    public int ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Receive up to 32 datagrams per system call (Linux recvmmsg); false uses one ReceiveFrom per datagram.</summary>
    public bool BatchReceive { get; set; } = true;

    public const int DefaultMaxBatchNotes = 512;
    public const int MaxMaxBatchNotes = 65_536;

    /// <summary>
    /// Most notes in one group commit (a datagram's notes are never split, so a batch may pass it by one datagram).
    /// The trade-off: a typed note waits for the commit already running, so smaller batches answer it sooner, but
    /// every batch costs an fsync, so larger ones store more bulk notes a second.
    /// </summary>
    public int MaxBatchNotes { get; set; } = DefaultMaxBatchNotes;

    /// <summary>
    /// Memory that append requests waiting for the commit thread may stand for: their bytes plus 512 per note.
    /// Beyond it new ones are dropped (a NetJournal client retries). 64 MiB holds about 110,000 single-note
    /// datagrams of 100 bytes, a third of a second at 300,000 a second (rsyslog's tuned queue holds 200,000 messages).
    /// </summary>
    public long CommitQueueBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>History and clients requests waiting for the query thread.</summary>
    public int QueryQueueLength { get; set; } = 256;

    /// <summary>
    /// Sources allowed to ask for the plain-text history with a bare <c>r</c>. That answer is many times larger
    /// than its one-byte request and has no token, so it goes only where a forged source cannot matter: loopback by default.
    /// </summary>
    public IList<IPNetwork> PlainHistoryAllow { get; set; } = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>The plain-text history holds at most this many of the latest notes, so one request cannot send the whole journal.</summary>
    public int PlainHistoryMaxNotes { get; set; } = 10_000;

    /// <summary>
    /// Datagrams per second allowed from one source IP (any port); beyond it they are dropped before decoding and
    /// counted, so one flooding source cannot starve the others. 0 turns the limit off. The default is a thirtieth
    /// of what the server takes in from one sender, and above what a NetJournal client sends: it paces itself at
    /// 8,000 a second, which a remote history read (1,232-byte pages, about 8 notes each) or bulk write (about 10
    /// notes a datagram) needs to run far faster than at 2,000.
    /// </summary>
    public int RateLimitPerSource { get; set; } = DefaultRateLimitPerSource;

    /// <summary>Datagrams a source may send at once above RateLimitPerSource (the token bucket's size).</summary>
    public int RateLimitBurst { get; set; } = 2 * DefaultRateLimitPerSource;

    public const int DefaultRateLimitPerSource = 10_000;

    /// <summary>Syslog receivers that get a copy of every stored note (<c>serve --forward</c>); empty = no forwarding.</summary>
    public IList<ForwardTarget> Forward { get; set; } = [];

    /// <summary>
    /// Opens the journal at start, given the server's clock; the server owns what it returns and disposes it at stop.
    /// Null (the default) opens the JSON Lines journal in <see cref="DataDirectory"/> (<see cref="JournalStore.Open"/>).
    /// </summary>
    public Func<TimeProvider, IJournalStore>? OpenStore { get; set; }

    /// <summary>Told of every batch of notes made durable, after the acknowledgements (beside the forwarders); see <see cref="ICommitListener"/>.</summary>
    public IList<ICommitListener> CommitListeners { get; set; } = [];

    /// <summary>Stored notes waiting to be forwarded, per target; beyond it copies are dropped and counted, never the commit delayed.</summary>
    public int ForwardQueueLength { get; set; } = 65_536;

    /// <summary>How long a follow lasts without renewal (the client renews every third of it); then it costs nothing.</summary>
    public TimeSpan FollowLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Followers held at once (every source together); a Follow beyond it is refused with TooManyFollowers.</summary>
    public int MaxFollowers { get; set; } = 4096;

    /// <summary>
    /// Push bytes a second each follower may be sent, with bursts of <see cref="FollowPushBurstBytes"/>; a push beyond
    /// it is dropped and counted, and the follower fetches what it missed by history (its own pace, its own requests).
    /// </summary>
    public int FollowPushBytesPerSecond { get; set; } = 8 * 1024 * 1024;

    /// <summary>The most push bytes a follower may be sent at once (its budget's size).</summary>
    public int FollowPushBurstBytes { get; set; } = 1024 * 1024;

    /// <summary>Commits and Follow requests waiting for the follower registry's task; beyond it they are dropped (followers see the gap).</summary>
    public int FollowQueueLength { get; set; } = 4096;
}
