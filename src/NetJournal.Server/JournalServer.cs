using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server.Keys;
using NetJournal.Server.Bot;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// A running NetJournal server: one UDP socket read by a dedicated thread, a commit thread that owns the
/// journal, and a query thread. Start opens the journal (<see cref="JournalServerOptions.OpenStore"/>, by default the JSON
/// Lines file) and binds; StopAsync stores and answers everything received, then closes. A loop that fails stops serving
/// and faults <see cref="Completion"/>, for the host to stop.
/// </summary>
public sealed class JournalServer : IAsyncDisposable
{
    private readonly JournalServerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private Socket? _socket;
    private IJournalStore? _store;
    private CommitQueue? _commits;
    private Channel<QueryWork>? _queries;
    private Task _committing = Task.CompletedTask;
    private Task _answering = Task.CompletedTask;
    private Task _following = Task.CompletedTask;
    private List<SyslogForwarder> _forwarders = [];
    private IAsyncDisposable? _feed;
    private FollowerRegistry? _followers;
    private QuestionRouter? _questions;
    private Thread? _receiver;
    private ClientRegistry? _clients;
    private SessionOpener? _opener;
    private volatile bool _stopping;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JournalServer(JournalServerOptions options, ILogger<JournalServer>? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger<JournalServer>.Instance;
        _time = time ?? TimeProvider.System;
    }

    public ServerCounters Counters { get; } = new();
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);
    public IJournalStore Store => _store ?? throw new InvalidOperationException("the server is not started");

    /// <summary>
    /// Completes when StopAsync has finished; faults as soon as the receive, commit or query loop fails (an
    /// InvalidOperationException naming the loop, with the failure inside), which leaves the server deaf: stop it then.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>One per --forward target, with its sent/dropped/failed counts.</summary>
    internal IReadOnlyList<SyslogForwarder> Forwarders => _forwarders;

    /// <summary>The followers this server pushes new notes to (protocol §6.5); null before Start.</summary>
    public FollowerRegistry? Followers => _followers;

    /// <summary>Bytes the kernel granted for the receive buffer (Linux reports twice what it books).</summary>
    public int ReceiveBufferBytes { get; private set; }

    /// <summary>The clients file as last read, when keys are on (<see cref="JournalServerOptions.ClientsFile"/>); null otherwise.</summary>
    public ClientRegistry? Clients => _clients;

    public void Start()
    {
        // The clients file is read first: a bad one (readable by others, a malformed line) stops the start before anything is opened.
        _clients = _options.ClientsFile is { } clientsFile ? new ClientRegistry(clientsFile, _logger) : null;
        // Forward targets resolve first: a bad one stops the start before anything is opened.
        var forwarders = _options.Forward.Select(t => new SyslogForwarder(t, _options.ForwardQueueLength, _logger)).ToList();
        _store = _options.OpenStore is { } open ? open(_time) : JournalStore.Open(_options.DataDirectory, _time);
        try
        {
            ReportRecovery(_store.Recovery);
            _socket = Bind();
        }
        catch
        {
            _store.Dispose();
            _clients?.Dispose();
            throw;
        }
        IReplySender sender = new UdpReplySender(_socket);
        if (_clients is not null) sender = new SealingReplySender(sender);
        var gate = new ReplyGate(sender, Counters);
        if (_clients is not null)
        {
            _opener = new SessionOpener(_clients, gate, Counters, _logger, [.. _options.AllowPlain], _time);
            _clients.Watch();
            ServerLog.KeysOn(_logger, _clients.File.Clients.Count, _clients.File.Path,
                _options.AllowPlain.Count == 0 ? "" : $" (and plain text and syslog from {string.Join(", ", _options.AllowPlain)}, marked unauthenticated)");
        }
        else if (!IPAddress.IsLoopback(LocalEndPoint.Address))
        {
            ServerLog.OpenToNetwork(_logger, LocalEndPoint.ToString());
        }
        // One token key for history and follows: a token earned by either serves both.
        var validator = new AddressValidator(_time);
        var store = _store;
        _followers = new FollowerRegistry(gate, validator, Counters, () => store.LastSeq, _options, _time);
        if (_options.Bot is { } bot)
            _questions = new QuestionRouter(bot.Create(_store, _time), bot, AppendAsync, LocalEndPoint.ToString(), _logger, _time);
        // A shared store feeds the followers and the commit listeners every note of the journal, whichever server stored
        // it (SharedJournalFeed); the forwarders still send only what this server stored (another server forwards its own).
        var shared = _store as ISharedJournal;
        List<ICommitListener> everyNote = [_followers, .. _options.CommitListeners];
        if (_questions is not null) everyNote.Add(_questions);
        List<ICommitListener> listeners = shared is null ? [.. forwarders, .. everyNote] : [.. forwarders];
        // Native notes keep their UTF-8 text for the listeners (a copy on the receive thread); CommittedNotes are built
        // only while some listener is listening (the registry only while anyone follows).
        _commits = new CommitQueue(_options.CommitQueueBytes, _store.NoteEncoder, keepText: true);
        _queries = Channel.CreateBounded<QueryWork>(new BoundedChannelOptions(_options.QueryQueueLength)
        { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _forwarders = forwarders;
        foreach (var forwarder in _forwarders)
        {
            forwarder.Start();
            ServerLog.ForwardStarted(_logger, forwarder.Target.ToString(), forwarder.EndPoint.ToString());
        }
        var committer = new GroupCommitter(_store, gate, Counters, _logger, _options.MaxBatchNotes, listeners, new HeldAppends(), _time);
        var responder = new QueryResponder(_store, gate, validator, Counters, _logger, _options.PlainHistoryMaxNotes, _questions);
        var router = new RequestRouter(_commits, _queries.Writer, gate, Counters, _logger, [.. _options.PlainHistoryAllow], _followers, markUnauthenticated: _clients is not null);
        _committing = Observed("commit", () => committer.RunAsync(_commits));
        var followers = _followers;
        _following = Observed("follow", followers.RunAsync);
        _answering = Observed("query", () => responder.RunAsync(_queries.Reader));
        _questions?.Start(gate);
        if (shared is not null) _feed = new SharedJournalFeed(shared, _store.LastSeq, everyNote, _logger, e => Fault("feed", e)).Start();
        _receiver = new Thread(() => ReceiveLoop(_socket, router)) { IsBackground = true, Name = "netjournal-receive" };
        _receiver.Start();
        ServerLog.Started(_logger, LocalEndPoint.ToString(), _store.Recovery.Path, _store.NoteCount, (long)_store.Recovery.Duration.TotalMilliseconds);
    }

    /// <summary>Runs a loop on the pool; its failure is reported (<see cref="Fault"/>), so the task itself never faults.</summary>
    private Task Observed(string loop, Func<Task> run) => Task.Run(async () =>
    {
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Fault(loop, e);
        }
    });

    /// <summary>A loop failed: logged once, and <see cref="Completion"/> faults so the host stops the process.</summary>
    private void Fault(string loop, Exception e)
    {
        ServerLog.LoopFailed(_logger, loop, e);
        _completion.TrySetException(new InvalidOperationException($"the {loop} loop failed: {e.Message}", e));
    }

    private void ReportRecovery(RecoveryReport report)
    {
        if (report.TruncatedBytes > 0) ServerLog.TornTail(_logger, report.Path, report.TruncatedBytes, report.TruncatedAtOffset);
        if (report.NewlineAdded) ServerLog.NewlineAdded(_logger, report.Path);
        foreach (var bad in report.CorruptLines) ServerLog.CorruptLine(_logger, report.Path, bad.LineNumber, bad.Offset, bad.Length);
    }

    private Socket Bind()
    {
        var socket = new Socket(_options.Bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_options.Bind.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.ReceiveBufferSize = _options.ReceiveBufferBytes;
            ReceiveBufferBytes = socket.ReceiveBufferSize;
            socket.Bind(new IPEndPoint(_options.Bind, _options.Port));
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var why = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "the port is already in use (is another server running?)",
                SocketError.AddressNotAvailable => "that address is not on this machine",
                SocketError.AccessDenied => "permission denied",
                _ => e.Message,
            };
            throw new IOException($"cannot listen on UDP {new IPEndPoint(_options.Bind, _options.Port)}: {why}", e);
        }
    }

    // Synchronous ReceiveFrom on a dedicated thread: measured at the C receiver's rate, where await per datagram reaches less than half.
    private void ReceiveLoop(Socket socket, RequestRouter router)
    {
        var batch = _options.BatchReceive ? BatchDatagramReceiver.TryCreate(socket) : null;
        IDatagramReceiver receiver = batch ?? (IDatagramReceiver)new SocketDatagramReceiver(socket);
        var sources = new Dictionary<SocketAddress, ClientAddress>();
        var limiter = _options.RateLimitPerSource > 0 ? new SourceRateLimiter(_options.RateLimitPerSource, _options.RateLimitBurst) : null;
        try
        {
            while (!_stopping)
            {
                int received;
                try
                {
                    received = receiver.Receive();
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    continue;
                }
                catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                if (_stopping) return;
                for (var i = 0; i < received; i++) Handle(receiver.Datagram(i), receiver.Source(i), router, sources, limiter);
                router.EndOfBatch();
            }
        }
        catch (Exception e)
        {
            // A thread's unhandled exception would end the process without a word: report it and stop receiving.
            if (!_stopping) Fault("receive", e);
        }
        finally
        {
            batch?.Dispose();
        }
    }

    private void Handle(ReadOnlyMemory<byte> datagram, SocketAddress from, RequestRouter router, Dictionary<SocketAddress, ClientAddress> sources, SourceRateLimiter? limiter)
    {
        if (limiter is not null && !limiter.TryAcquire(from, RateCost.Of(datagram.Span)))
        {
            // Dropped before the source lookup and decoding: a flood costs one receive and one bucket per datagram.
            Counters.RateLimit();
            if (limiter.TakeReport(out var dropped))
                ServerLog.RateLimited(_logger, dropped, _options.RateLimitPerSource, _options.RateLimitBurst, new ClientAddress(from).Text);
            return;
        }
        try
        {
            if (!sources.TryGetValue(from, out var source))
            {
                if (sources.Count >= 4096) sources.Clear();
                source = new ClientAddress(from);
                sources.Add(source.Raw, source);
            }
            // With keys on, the datagram is opened (or answered, or dropped) here, before anything reads it.
            if (_opener is not null && !_opener.TryAdmit(datagram, source, out datagram, out source)) return;
            router.Handle(datagram, source);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            // The router never throws on input by design; this is the last guard that keeps the loop serving.
            Counters.MalformedDatagram();
            ServerLog.HandlingFailed(_logger, e);
        }
    }

    /// <summary>
    /// Stores a note written inside this process (the web view, the bot) as any client's note is stored: in the next
    /// group commit, in the interactive lane, and answered only once it is durable (fsync, or the store's commit). Its
    /// commit listeners see it as any other note. The task never faults for the note's content or for a failed write:
    /// it completes with a Rejected result saying why (see <see cref="AppendResult"/>). Cancelling stops the wait,
    /// not the commit (the note may still be stored). Any thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server was never started.</exception>
    public Task<AppendResult> AppendAsync(LocalNote note, CancellationToken cancellationToken = default)
    {
        var commits = _commits ?? throw new InvalidOperationException("the server is not started");
        var refusal = NoteRules.CheckName(note.Client);
        if (refusal == ErrorCode.None) refusal = NoteRules.Check(note.Text);
        if (refusal != ErrorCode.None) return Task.FromResult(new AppendResult(NoteResult.Rejected(refusal), 0));
        var done = new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = commits.Rent().StartLocal(done);
        work.Notes.Add(new PendingNote(note.Client, note.Address, note.Text, note.Origin));
        work.AddRequestBytes(System.Text.Encoding.UTF8.GetByteCount(note.Text));
        if (_stopping || !commits.TryWrite(work, interactive: true))
        {
            commits.Return(work);
            return Task.FromResult(new AppendResult(NoteResult.Rejected(ErrorCode.ServerBusy), 0));
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_socket is null || _stopping) return;
        _stopping = true;
        try
        {
            // Wakes the blocked receive (Linux reports ENOTCONN for UDP but still shuts the receive side).
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (SocketException)
        {
        }
        if (_receiver is not null && !_receiver.Join(TimeSpan.FromSeconds(2))) _socket.Close();
        _receiver?.Join();
        // The bot stops before the commit thread: the answer it is working on is dropped, never waited for.
        if (_questions is not null) await _questions.StopAsync().ConfigureAwait(false);
        // Nothing more comes in: whatever was queued is now stored and acknowledged before the socket closes.
        _commits!.Complete();
        _queries!.Writer.TryComplete();
        // The loops' tasks never fault (Observed): a loop that failed has already faulted Completion.
        await Task.WhenAll(_committing, _answering).ConfigureAwait(false);
        // The commit thread has ended: what it handed the followers is pushed, then their task ends.
        _followers?.Complete();
        await _following.ConfigureAwait(false);
        foreach (var forwarder in _forwarders)
        {
            await forwarder.StopAsync().ConfigureAwait(false);
            ServerLog.ForwardStopped(_logger, forwarder.ToString());
        }
        if (_feed is not null) await _feed.DisposeAsync().ConfigureAwait(false);
        _socket.Close();
        _clients?.Dispose();
        ServerLog.Stopped(_logger, Counters.ToString());
        _store!.Dispose();
        _completion.TrySetResult();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
