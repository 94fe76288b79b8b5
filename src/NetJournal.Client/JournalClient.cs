using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// A connection to one NetJournal server over UDP: matches replies to requests, finds lost datagrams as QUIC does
/// (RFC 9002: a later one answered shows an earlier one lost; a probe timeout from measured round trips, backed off
/// only while nothing comes back), answers address-validation challenges, and numbers this instance's notes so
/// retries are never stored twice. It gives up only when the server has said nothing for
/// <see cref="JournalClientOptions.GiveUpAfter"/>, or at once when the server's port is reported closed before it ever answered.
/// Every datagram goes through one <see cref="IDatagramTransport"/>: a connected UDP socket unless another is given.
/// </summary>
public sealed class JournalClient : IAsyncDisposable
{
    private readonly IDatagramTransport _transport;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<uint, PendingRequest> _requests = new();
    private readonly ConcurrentDictionary<ulong, Action<AppendAck>> _appends = new();
    private readonly ConcurrentDictionary<ulong, FollowReader> _follows = new();
    private readonly Lock _numbersGate = new();
    private readonly UnsettledNumbers _unsettled = new();
    private readonly Task _receiving;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private uint _nextRequestId;
    private long _retransmissions;
    private long _refusedAt;
    private long _lastHeardTicks = -1;
    private long _requestSends, _largestAnsweredRequest;
    private volatile bool _acceptsHeld = true, _offeredHeld;
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
        Rtt = new RttEstimator(Options.InitialTimeout, Options.MinTimeout, Options.MaxTimeout);
        Pacer = new SendPacer(Options.MaxDatagramsPerSecond);
        var loopback = IPAddress.IsLoopback(server.Address);
        MaxReply = Options.MaxReply ?? (loopback ? 65_000 : ProtocolConstants.DefaultMaxReply);
        MaxAppendBytes = Options.MaxAppendBytes ?? (loopback ? 32 * 1024 : ProtocolConstants.DefaultMaxReply);
        // A thread of its own: the UDP transport waits on it synchronously (see UdpDatagramTransport.ReceiveAsync).
        _receiving = Task.Factory.StartNew(ReceiveLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public IPEndPoint Server { get; }
    public JournalClientOptions Options { get; }
    public ulong Instance { get; }

    /// <summary>Round trips to the server and the probe timeout and loss delay made from them.</summary>
    public RttEstimator Rtt { get; }
    internal SendPacer Pacer { get; }
    public int MaxReply { get; }
    public int MaxAppendBytes { get; }

    /// <summary>Datagrams sent again (lost, probed, or deferred by the server), over the client's life.</summary>
    public long Retransmissions => Interlocked.Read(ref _retransmissions);

    /// <summary>Time since the client was made: the clock every send time and timer of the client runs on.</summary>
    internal TimeSpan Now => _clock.Elapsed;

    /// <summary>When the last datagram from the server came (<see cref="Now"/>'s clock); zero before any.</summary>
    internal TimeSpan LastHeard => TimeSpan.FromTicks(Math.Max(0, Interlocked.Read(ref _lastHeardTicks)));

    /// <summary>Whether any datagram from the server has come.</summary>
    internal bool HeardAny => Interlocked.Read(ref _lastHeardTicks) >= 0;

    /// <summary>The server's port was reported closed and the server never answered: nothing listens there, so waiting is pointless.</summary>
    internal bool RefusedBeforeAnyAnswer => !HeardAny && Interlocked.Read(ref _refusedAt) != 0;

    /// <summary>Raised (on any thread) when the server's port is reported closed.</summary>
    internal event Action? Refused;

    /// <summary>
    /// Whether appends still offer the status Held (header flag <see cref="HeaderFlags.AcceptsHeld"/>, protocol §5.8):
    /// true until a server that predates the flag refuses it, then false for the client's life.
    /// </summary>
    internal bool AcceptsHeld => _acceptsHeld;

    /// <summary>Raised (on the receive thread) when the server refused the flag: appends sent with it must go again without.</summary>
    internal event Action? HeldRefused;

    /// <summary>The header flags for an append encoded now; remembers that the flag was offered, so its refusal can be told apart.</summary>
    internal HeaderFlags AppendFlags()
    {
        if (!_acceptsHeld) return HeaderFlags.None;
        _offeredHeld = true;
        return HeaderFlags.AcceptsHeld;
    }

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

    /// <summary>Sends one datagram through the transport. A lost one is left to loss detection to send again.</summary>
    internal void Send(ReadOnlySpan<byte> datagram)
    {
        if (_transport.Send(datagram) == DatagramStatus.Unreachable) NoteRefused();
    }

    private void NoteRefused()
    {
        Interlocked.Exchange(ref _refusedAt, Environment.TickCount64);
        Refused?.Invoke();
        if (!RefusedBeforeAnyAnswer) return;
        foreach (var pending in _requests.Values) pending.Nudge();
    }

    private void NoteHeard() => Interlocked.Exchange(ref _lastHeardTicks, _clock.Elapsed.Ticks);

    /// <summary>Sends notes (one note per item, in order), many in flight, and reports each note's final outcome.</summary>
    public Task<WriteSummary> WriteAsync(IAsyncEnumerable<string> notes, Action<NoteOutcome>? onOutcome = null, CancellationToken cancellationToken = default) =>
        new NoteWriter(this, onOutcome).RunAsync(notes, cancellationToken);

    /// <summary>
    /// Sends one note per line of <paramref name="utf8Lines"/> (UTF-8; lines end at '\n', '\r' or "\r\n"; empty lines are
    /// skipped), kept as bytes from the stream to the datagram. Outcomes as for the string overload, except that a
    /// stored note's <see cref="NoteOutcome.Text"/> is empty (only notes not stored are decoded to text). The stream
    /// is read to its end but not disposed.
    /// </summary>
    public Task<WriteSummary> WriteAsync(Stream utf8Lines, Action<NoteOutcome>? onOutcome = null, CancellationToken cancellationToken = default) =>
        new NoteWriter(this, onOutcome).RunAsync(utf8Lines, cancellationToken);

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
    /// <param name="onLost">Called each time the request is found lost and sent again (by a later reply or a probe timeout).</param>
    internal async Task<ReceivedPage> ReceivePageAsync(HistoryFilter filter, ulong afterSeq, ulong untilSeq, CancellationToken cancellationToken, Action<TimeSpan>? onLost = null) =>
        (ReceivedPage)await RequestAsync((id, token) => new HistoryRequest(id, token, afterSeq, untilSeq, (ushort)MaxReply, filter), cancellationToken, onLost).ConfigureAwait(false);

    /// <summary>Matching notes in seq order: all of them, or the last <paramref name="lastN"/> (0 = all).</summary>
    public IAsyncEnumerable<Note> HistoryAsync(HistoryFilter filter, ulong lastN = 0, CancellationToken cancellationToken = default) =>
        new HistoryReader(this).ReadAsync(filter, lastN, cancellationToken);

    /// <summary>The matching notes with <paramref name="afterSeq"/> &lt; seq &lt;= <paramref name="untilSeq"/>, in seq order.</summary>
    internal IAsyncEnumerable<Note> HistoryRangeAsync(HistoryFilter filter, ulong afterSeq, ulong untilSeq, CancellationToken cancellationToken) =>
        new HistoryReader(this).ReadRangeAsync(filter, afterSeq, untilSeq, cancellationToken);

    /// <summary>
    /// Follows the notes matching <paramref name="filter"/> (applied by the server) as they are stored, until
    /// <paramref name="cancellationToken"/> is cancelled or the consumer stops: first those <paramref name="start"/> asks
    /// for from history, then new ones as the server pushes them. Each matching note comes exactly once, in seq order:
    /// the follow is registered before history is read, a lost or dropped push is noticed by its seq range and fetched
    /// by history before later notes are handed out, and a server restart is noticed at the next lease renewal (or at
    /// once, when the server says it is stopping), said once as an event, and followed through. Protocol §6.5.
    /// </summary>
    /// <exception cref="JournalUnavailableException">The server did not answer the first Follow (or its count) in time.</exception>
    /// <exception cref="JournalRequestException">The server refused the follow; a server that predates following says so in words.</exception>
    public IAsyncEnumerable<FollowEvent> FollowAsync(HistoryFilter filter, FollowStart start = default, CancellationToken cancellationToken = default) =>
        new FollowReader(this, filter).ReadAsync(start, cancellationToken);

    /// <summary>Pushes for <paramref name="follow"/>'s subscription go to it from now on; a closed port wakes its renewal.</summary>
    internal void Follow(FollowReader follow)
    {
        _follows[follow.Subscription] = follow;
        Refused += follow.OnRefused;
    }

    internal void Unfollow(FollowReader follow)
    {
        _follows.TryRemove(follow.Subscription, out _);
        Refused -= follow.OnRefused;
    }

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

    /// <summary>
    /// Asks the server's bot (protocol §4.12): the question is stored as this client's note <c>@bot QUESTION</c>, the
    /// bot's answer as a note of the client <c>bot</c>, and the answer comes back here. While the bot works the server
    /// answers Working and the question is asked again (same QuestionId, so it is asked once) every 50 ms to 1 s, so
    /// a slow bot (a model, up to the server's --bot-timeout) is waited for while a silent server is still given up on
    /// after <see cref="JournalClientOptions.GiveUpAfter"/>.
    /// </summary>
    /// <param name="question">One line of 1 to <see cref="ProtocolConstants.MaxQuestionBytes"/> bytes of UTF-8.</param>
    /// <returns>The answered reply: Answer, its AnswerSeq (0 if it could not be stored), QuestionSeq and the seqs it cites.</returns>
    /// <exception cref="ArgumentException">The question is empty, too long or not one line.</exception>
    /// <exception cref="JournalUnavailableException">The server said nothing for <see cref="JournalClientOptions.GiveUpAfter"/>, or its port is closed.</exception>
    /// <exception cref="JournalRequestException">The server refused: no bot (UnknownMessage), BotBusy, BadQuestion, BadName.</exception>
    public async Task<AskReply> AskAsync(string question, CancellationToken cancellationToken = default)
    {
        question = question.Trim();
        if (question.Length == 0 || question.AsSpan().IndexOfAny('\r', '\n') >= 0
            || System.Text.Encoding.UTF8.GetByteCount(question) > ProtocolConstants.MaxQuestionBytes)
            throw new ArgumentException(ErrorText.Describe(ErrorCode.BadQuestion), nameof(question));
        var questionId = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;
        var poll = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var reply = await RequestAsync((id, token) => new AskRequest(id, token, questionId, Options.Name, question), cancellationToken).ConfigureAwait(false);
            if (reply is AskReply { Status: AskStatus.Answered } answered) return answered;
            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, TimeSpan.TicksPerSecond));
        }
    }

    /// <summary>
    /// Sends a request until its reply comes: again at once when a later request's reply shows it lost (packet or
    /// time threshold, <see cref="LossRule"/>), else after a probe timeout that doubles only while nothing at all
    /// comes back from the server. Answers a RetryChallenge by resending with the token.
    /// </summary>
    /// <param name="onLost">Called with the lost transmission's send time each time the request is sent again.</param>
    /// <exception cref="JournalUnavailableException">The server said nothing for <see cref="JournalClientOptions.GiveUpAfter"/>, or its port is closed.</exception>
    /// <exception cref="JournalRequestException">The server refused the request.</exception>
    internal async Task<JournalMessage> RequestAsync(Func<uint, ReadOnlyMemory<byte>, JournalMessage> build, CancellationToken cancellationToken, Action<TimeSpan>? onLost = null)
    {
        var id = Interlocked.Increment(ref _nextRequestId);
        var request = new PendingRequest();
        _requests[id] = request;
        var started = Now;
        var fresh = true;
        var probes = 0;
        try
        {
            while (true)
            {
                if (RefusedBeforeAnyAnswer) throw Unavailable();
                var datagram = MessageCodec.Encode(build(id, _token));
                await Pacer.WaitAsync(cancellationToken, RateCost.Of(datagram)).ConfigureAwait(false);
                request.Sent(Interlocked.Increment(ref _requestSends), Now, fresh);
                if (!fresh) CountRetransmission();
                fresh = false;
                Send(datagram);
                // Wait for the reply, for a later reply that shows this one lost, or for the probe timeout.
                while (!request.Reply.Task.IsCompleted)
                {
                    request.Rearm();
                    if (RefusedBeforeAnyAnswer) throw Unavailable();
                    var now = Now;
                    if (LossRule.IsLost(request.SendNumber, request.SentAt, Interlocked.Read(ref _largestAnsweredRequest), now, Rtt.LossDelay, out var lostAt))
                    {
                        probes = 0;
                        break;
                    }
                    // Anything heard since this transmission means the path works: no backoff (RFC 9002 §6.2.1).
                    if (LastHeard > request.SentAt) probes = 0;
                    var probeAt = request.SentAt + Rtt.Backoff(probes);
                    if (now >= probeAt)
                    {
                        var progress = LastHeard > started ? LastHeard : started;
                        if (now - progress >= Options.GiveUpAfter) throw Unavailable();
                        probes++;
                        break;
                    }
                    var wake = (lostAt < probeAt ? lostAt : probeAt) - now;
                    using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var timer = Task.Delay(wake < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wake, delay.Token);
                    await Task.WhenAny(request.Reply.Task, request.Nudged, timer).ConfigureAwait(false);
                    await delay.CancelAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                if (!request.Reply.Task.IsCompleted)
                {
                    onLost?.Invoke(request.SentAt);
                    continue;
                }
                switch (await request.Reply.Task.ConfigureAwait(false))
                {
                    case RetryChallenge challenge:
                        _token = challenge.Token.ToArray();
                        fresh = true;
                        continue;
                    case ErrorReply error:
                        throw new JournalRequestException(error.Code, error.Detail);
                    case var reply:
                        return reply;
                }
            }
        }
        finally
        {
            _requests.TryRemove(id, out _);
        }
    }

    /// <summary>A reply to request <paramref name="requestId"/>: it answers it, samples the RTT, and nudges earlier requests to look for loss.</summary>
    private bool Answer(uint requestId, JournalMessage reply)
    {
        if (!_requests.TryGetValue(requestId, out var request) || !request.Reply.TrySetResult(reply)) return false;
        var now = Now;
        var sendNumber = request.SendNumber;
        // Karn: a reply to a request sent more than once cannot say which copy it answers.
        if (request.Transmissions == 1) Rtt.Sample(now - request.SentAt);
        if (request.Transmissions == 1 || now - request.SentAt >= Rtt.Min)
        {
            long largest;
            while ((largest = Interlocked.Read(ref _largestAnsweredRequest)) < sendNumber
                && Interlocked.CompareExchange(ref _largestAnsweredRequest, sendNumber, largest) != largest)
            {
            }
            foreach (var other in _requests.Values)
            {
                if (other.SendNumber < sendNumber) other.Nudge();
            }
        }
        return true;
    }

    /// <summary>Why the server seems unavailable, in words: a closed port, or silence for the time allowed.</summary>
    public JournalUnavailableException Unavailable()
    {
        var refusedAt = Interlocked.Read(ref _refusedAt);
        var refused = refusedAt != 0 && Environment.TickCount64 - refusedAt < 60_000;
        return new JournalUnavailableException(refused
            ? $"no NetJournal server is listening at {Server} (the port is closed)"
            : $"the NetJournal server at {Server} has not answered for {Options.GiveUpAfter.TotalSeconds:0.#} s");
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
            NoteHeard();
            var datagram = buffer.AsSpan(0, received.Length);
            // A page stays bytes until it is read; it is copied only if a request waits for it.
            if (MessageCodec.ReadHeader(datagram, out var type) == DecodeStatus.Ok && type == MessageType.HistoryPage)
            {
                if (HistoryPageView.TryRead(datagram, out var view) && _requests.ContainsKey(view.RequestId))
                {
                    var page = ReceivedPage.Copy(datagram, view);
                    // A second copy of a page (its request was sent twice) finds the request answered already.
                    if (!Answer(view.RequestId, page)) page.Release();
                }
                continue;
            }
            // An ack of notes all stored in a row, the common case of a bulk write, is read in place and kept as two
            // numbers: no copy of the datagram and no result per note.
            if (type == MessageType.AppendAck && TryHandStoredRun(datagram)) continue;
            // A reply that does not decode is dropped like a lost one; the request is retried.
            if (MessageCodec.TryDecode(datagram.ToArray(), out var message) != DecodeStatus.Ok) continue;
            switch (message)
            {
                case AppendAck ack when _appends.TryGetValue(ack.FirstNumber, out var handler) && ack.Instance == Instance:
                    handler(ack);
                    break;
                case CountReply m: Answer(m.RequestId, m); break;
                case ClientsPage m: Answer(m.RequestId, m); break;
                case AskReply m: Answer(m.RequestId, m); break;
                case RetryChallenge m: Answer(m.RequestId, m); break;
                case Notify m when m.RequestId != 0: Answer(m.RequestId, m); break;
                case Notify m when _follows.TryGetValue(m.Subscription, out var follow): follow.OnPush(m); break;
                case ErrorReply m when m.RequestId == 0 && m.Code == ErrorCode.UnknownMessage && _offeredHeld:
                    // A server that predates AcceptsHeld refuses every flagged append so (protocol §2); nothing else we
                    // send can draw it. Appends go on without the flag, and take Deferred answers; requests are not failed.
                    if (_acceptsHeld)
                    {
                        _acceptsHeld = false;
                        HeldRefused?.Invoke();
                    }
                    break;
                case ErrorReply m when m.RequestId == 0:
                    // A refusal of a whole datagram we cannot match (a version mismatch): fail every open request.
                    foreach (var id in _requests.Keys) Answer(id, m);
                    break;
                case ErrorReply m: Answer(m.RequestId, m); break;
            }
        }
    }

    // An AppendAck whose notes were all stored in a row goes to its writer as a StoredRun; false for any other ack.
    private bool TryHandStoredRun(ReadOnlySpan<byte> datagram)
    {
        if (!StoredRun.TryRead(datagram, out var ack, out var run) || run is null) return false;
        if (ack.Instance == Instance && _appends.TryGetValue(ack.FirstNumber, out var handler))
            handler(new AppendAck(ack.Instance, ack.FirstNumber, run));
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        try { await _receiving.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
