using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// A connection to one NetJournal server over UDP: matches replies to requests, retransmits with backoff,
/// answers address-validation challenges, and numbers this instance's notes so retries are never stored twice.
/// Every datagram goes through one <see cref="IDatagramTransport"/>: a connected UDP socket unless another is given.
/// </summary>
public sealed class JournalClient : IAsyncDisposable
{
    private readonly IDatagramTransport _transport;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<JournalMessage>> _requests = new();
    private readonly ConcurrentDictionary<ulong, Action<AppendAck>> _appends = new();
    private readonly Lock _numbersGate = new();
    private readonly UnsettledNumbers _unsettled = new();
    private readonly Task _receiving;
    private uint _nextRequestId;
    private long _retransmissions;
    private long _refusedAt;
    private ReadOnlyMemory<byte> _token;

    /// <summary>A client of the server at <paramref name="server"/>, over a <see cref="UdpDatagramTransport"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">No socket could be opened for the server's address family.</exception>
    public JournalClient(IPEndPoint server, JournalClientOptions? options = null)
        : this(server, new UdpDatagramTransport(server), options)
    {
    }

    /// <summary>
    /// A client that sends and hears its datagrams through <paramref name="transport"/>, which it owns from now on and
    /// disposes with itself. <paramref name="server"/> names the server in messages and picks the loopback defaults.
    /// </summary>
    public JournalClient(IPEndPoint server, IDatagramTransport transport, JournalClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Server = server;
        _transport = transport;
        Options = options ?? new JournalClientOptions();
        Instance = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;
        Timer = new RetransmitTimer(Options.InitialTimeout, Options.MinTimeout, Options.MaxTimeout);
        Pacer = new SendPacer(Options.MaxDatagramsPerSecond);
        var loopback = IPAddress.IsLoopback(server.Address);
        MaxReply = Options.MaxReply ?? (loopback ? 65_000 : ProtocolConstants.DefaultMaxReply);
        MaxAppendBytes = Options.MaxAppendBytes ?? (loopback ? 16 * 1024 : ProtocolConstants.DefaultMaxReply);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint Server { get; }
    public JournalClientOptions Options { get; }
    public ulong Instance { get; }
    public RetransmitTimer Timer { get; }
    internal SendPacer Pacer { get; }
    public int MaxReply { get; }
    public int MaxAppendBytes { get; }
    public long Retransmissions => Interlocked.Read(ref _retransmissions);

    internal void CountRetransmission() => Interlocked.Increment(ref _retransmissions);

    /// <summary>Takes the next <paramref name="count"/> note numbers; they stay unsettled until Settle.</summary>
    internal ulong TakeNumbers(int count)
    {
        lock (_numbersGate) return _unsettled.Take(count);
    }

    internal void Settle(ulong first, int count)
    {
        lock (_numbersGate) _unsettled.Settle(first, count);
    }

    /// <summary>The lowest number without a final answer: the server never waits for a number below it.</summary>
    internal ulong Base
    {
        get { lock (_numbersGate) return _unsettled.Lowest; }
    }

    internal void OnAppendAck(ulong firstNumber, Action<AppendAck> handler) => _appends[firstNumber] = handler;
    internal void ForgetAppend(ulong firstNumber) => _appends.TryRemove(firstNumber, out _);

    /// <summary>Sends one datagram through the transport. A lost one is left to the retransmission timer to send again.</summary>
    internal void Send(ReadOnlySpan<byte> datagram)
    {
        if (_transport.Send(datagram) == DatagramStatus.Unreachable) NoteRefused();
    }

    private void NoteRefused() => Interlocked.Exchange(ref _refusedAt, Environment.TickCount64);

    /// <summary>Sends notes (one note per item, in order), many in flight, and reports each note's final outcome.</summary>
    public Task<WriteSummary> WriteAsync(IAsyncEnumerable<string> notes, Action<NoteOutcome>? onOutcome = null, CancellationToken cancellationToken = default) =>
        new NoteWriter(this, onOutcome).RunAsync(notes, cancellationToken);

    public async Task<NoteOutcome> WriteAsync(string note, CancellationToken cancellationToken = default)
    {
        NoteOutcome outcome = default;
        await new NoteWriter(this, o => outcome = o).RunAsync([note], cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    public async Task<CountReply> CountAsync(HistoryFilter filter, ulong lastN = 0, CancellationToken cancellationToken = default) =>
        (CountReply)await RequestAsync((id, _) => new CountRequest(id, ReadOnlyMemory<byte>.Empty, lastN, filter), cancellationToken).ConfigureAwait(false);

    public async Task<HistoryPage> PageAsync(HistoryFilter filter, ulong afterSeq, ulong untilSeq, CancellationToken cancellationToken = default) =>
        (await ReceivePageAsync(filter, afterSeq, untilSeq, cancellationToken).ConfigureAwait(false)).ToHistoryPage();

    /// <summary>A page left as its bytes until read (<see cref="ReceivedPage.ReadNotes"/>).</summary>
    internal async Task<ReceivedPage> ReceivePageAsync(HistoryFilter filter, ulong afterSeq, ulong untilSeq, CancellationToken cancellationToken) =>
        (ReceivedPage)await RequestAsync((id, token) => new HistoryRequest(id, token, afterSeq, untilSeq, (ushort)MaxReply, filter), cancellationToken).ConfigureAwait(false);

    /// <summary>Matching notes in seq order: all of them, or the last <paramref name="lastN"/> (0 = all).</summary>
    public IAsyncEnumerable<Note> HistoryAsync(HistoryFilter filter, ulong lastN = 0, CancellationToken cancellationToken = default) =>
        new HistoryReader(this).ReadAsync(filter, lastN, cancellationToken);

    public async Task<IReadOnlyList<ClientSummary>> ClientsAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<ClientSummary>();
        while (true)
        {
            var after = (ulong)all.Count;
            var page = (ClientsPage)await RequestAsync((id, token) => new ClientsRequest(id, token, after, (ushort)MaxReply), cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Clients);
            if (page.Complete || page.Clients.Count == 0) return all;
        }
    }

    /// <summary>Sends a request until its reply comes, retrying with backoff; answers a RetryChallenge by resending with the token.</summary>
    internal async Task<JournalMessage> RequestAsync(Func<uint, ReadOnlyMemory<byte>, JournalMessage> build, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextRequestId);
        var started = Stopwatch.StartNew();
        var attempt = 0;
        try
        {
            while (true)
            {
                var pending = new TaskCompletionSource<JournalMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
                _requests[id] = pending;
                var datagram = MessageCodec.Encode(build(id, _token));
                await Pacer.WaitAsync(cancellationToken, RateCost.Of(datagram)).ConfigureAwait(false);
                var sentAt = started.Elapsed;
                Send(datagram);
                var wait = attempt == 0 ? Timer.Current : Timer.Backoff(attempt);
                var done = await Task.WhenAny(pending.Task, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (done == pending.Task)
                {
                    var reply = await pending.Task.ConfigureAwait(false);
                    if (attempt == 0) Timer.Sample(started.Elapsed - sentAt);
                    switch (reply)
                    {
                        case RetryChallenge challenge:
                            _token = challenge.Token.ToArray();
                            continue;
                        case ErrorReply error:
                            throw new JournalRequestException(error.Code, error.Detail);
                        default:
                            return reply;
                    }
                }
                if (started.Elapsed > Options.GiveUpAfter) throw Unavailable();
                attempt++;
                CountRetransmission();
            }
        }
        finally
        {
            _requests.TryRemove(id, out _);
        }
    }

    /// <summary>Why the server seems unavailable, in words: a closed port, or silence.</summary>
    public JournalUnavailableException Unavailable()
    {
        var refused = Environment.TickCount64 - Interlocked.Read(ref _refusedAt) < 60_000;
        return new JournalUnavailableException(refused
            ? $"no NetJournal server is listening at {Server} (the port is closed)"
            : $"the NetJournal server at {Server} did not answer within {Options.GiveUpAfter.TotalSeconds:0} s");
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[ProtocolConstants.MaxDatagram + 1];
        while (!_stop.IsCancellationRequested)
        {
            DatagramReceiveResult received;
            try
            {
                received = await _transport.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            if (received.Status == DatagramStatus.Unreachable)
            {
                NoteRefused();
                continue;
            }
            var datagram = buffer.AsSpan(0, received.Length);
            // A page stays bytes until it is read; it is copied only if a request waits for it.
            if (MessageCodec.ReadHeader(datagram, out var type) == DecodeStatus.Ok && type == MessageType.HistoryPage)
            {
                if (HistoryPageView.TryRead(datagram, out var view) && _requests.TryGetValue(view.RequestId, out var waiting))
                {
                    var page = ReceivedPage.Copy(datagram, view);
                    // A second copy of a page (its request was sent twice) finds the request answered already.
                    if (!waiting.TrySetResult(page)) page.Release();
                }
                continue;
            }
            // A reply that does not decode is dropped like a lost one; the request is retried.
            if (MessageCodec.TryDecode(datagram.ToArray(), out var message) != DecodeStatus.Ok) continue;
            switch (message)
            {
                case AppendAck ack when _appends.TryGetValue(ack.FirstNumber, out var handler) && ack.Instance == Instance:
                    handler(ack);
                    break;
                case CountReply m: Complete(m.RequestId, m); break;
                case ClientsPage m: Complete(m.RequestId, m); break;
                case RetryChallenge m: Complete(m.RequestId, m); break;
                case ErrorReply m when m.RequestId == 0:
                    // A refusal of a whole datagram we cannot match (a version mismatch): fail every open request.
                    foreach (var id in _requests.Keys) Complete(id, m);
                    break;
                case ErrorReply m: Complete(m.RequestId, m); break;
            }
        }
    }

    private void Complete(uint requestId, JournalMessage reply)
    {
        if (_requests.TryGetValue(requestId, out var pending)) pending.TrySetResult(reply);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        try { await _receiving.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
