using System.Security.Cryptography;
using System.Threading.Channels;
using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// The followers of this server (protocol §4.12–4.13, §6.5): registers and renews follows, and pushes each committed
/// note to every follower whose filter it matches. The commit thread only hands each batch on (and only while someone
/// follows); one task of its own matches and sends, so a follower never delays a commit. A follower is registered
/// only from an address that showed a valid token (<see cref="AddressValidator"/>), so pushes never go to a forged
/// source; its lease runs out unless renewed, and an expired follower is forgotten at the next batch or follow. Push
/// bytes per follower are bounded by a token bucket; a push over it is dropped.
/// </summary>
/// <remarks>
/// Nothing here assumes the registry saw every commit: notes it never got (a batch dropped because its queue was full,
/// or, with a shared store, notes committed elsewhere) show as a jump in seq between batches, and every follower's next
/// push then starts after the jump, so the follower sees the gap and fetches it by history. Batches must come in seq order.
/// </remarks>
public sealed class FollowerRegistry : ICommitListener
{
    private readonly ReplyGate _replies;
    private readonly AddressValidator _validator;
    private readonly ServerCounters _counters;
    private readonly Func<ulong> _lastSeq;
    private readonly TimeProvider _time;
    private readonly Channel<Work> _queue;
    private readonly Dictionary<(string Address, ulong Subscription), Follower> _followers = [];
    private readonly List<Follower> _list = [];
    private readonly byte[] _datagram = new byte[ProtocolConstants.MaxDatagram];
    private readonly long _leaseMs;
    private readonly int _maxFollowers;
    private readonly double _bytesPerMs;
    private readonly int _burst;

    // The notes of the batch being pushed, each in wire form once, whichever followers want it.
    private byte[] _wire = new byte[64 * 1024];
    private int[] _wireAt = new int[256];
    private int[] _wireLength = new int[256];
    private int _wireUsed;

    private int _count;
    private ulong _processedThrough;
    private long _lastSweepMs;

    /// <param name="replies">Where pushes and answers go out.</param>
    /// <param name="validator">The server's token issuer: a Follow must carry one of its tokens.</param>
    /// <param name="lastSeq">The newest seq stored, readable from any thread (<c>IJournalStore.LastSeq</c>).</param>
    public FollowerRegistry(ReplyGate replies, AddressValidator validator, ServerCounters counters, Func<ulong> lastSeq,
        JournalServerOptions options, TimeProvider? time = null)
    {
        _replies = replies;
        _validator = validator;
        _counters = counters;
        _lastSeq = lastSeq;
        _time = time ?? TimeProvider.System;
        _leaseMs = (long)options.FollowLease.TotalMilliseconds;
        _maxFollowers = options.MaxFollowers;
        _bytesPerMs = options.FollowPushBytesPerSecond / 1000.0;
        _burst = options.FollowPushBurstBytes;
        _processedThrough = lastSeq();
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(options.FollowQueueLength)
        { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Random per server start, in every Notify: a follower that sees it change knows the server restarted.</summary>
    public ulong Epoch { get; } = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    /// <summary>Followers registered now (some may have expired and not yet been swept).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>True while anyone follows: without followers the commit thread builds no notes for the registry.</summary>
    public bool IsListening => Volatile.Read(ref _count) > 0;

    /// <summary>Commit thread: hands the batch on, never waits. A full queue drops it; the followers see the gap.</summary>
    public void OnCommitted(ReadOnlySpan<CommittedNote> notes)
    {
        if (notes.IsEmpty || !IsListening) return;
        if (!_queue.Writer.TryWrite(new Work(notes.ToArray(), null, null, 0))) _counters.FollowQueueDrop();
    }

    /// <summary>Receive thread: hands a Follow on, never waits; false when the queue is full (the client asks again).</summary>
    public bool Offer(FollowRequest request, ClientAddress from, int requestBytes) =>
        _queue.Writer.TryWrite(new Work(null, request, from, requestBytes));

    /// <summary>The registry's loop: every batch and Follow in the order they came, until <see cref="Complete"/>.</summary>
    public async Task RunAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var work))
            {
                if (work.Notes is { } notes) Push(notes);
                else Follow(work.Request!, work.From!, work.RequestBytes);
            }
        }
        SayGoodbye();
    }

    /// <summary>
    /// The server is stopping: each follower is told its lease ended (a Notify without notes, lease 0), so it follows
    /// again at once, and finds the restarted server as soon as it answers instead of at its next renewal.
    /// </summary>
    internal void SayGoodbye()
    {
        var now = NowMs();
        foreach (var follower in _list)
        {
            if (follower.LeaseUntilMs <= now) continue;
            var length = MessageCodec.WriteNotifyHeader(_datagram, 0, follower.Subscription, Epoch, follower.CleanFrom, follower.CleanFrom, 0, 0);
            _replies.Send(_datagram.AsSpan(0, length), follower.To, 0, validated: true);
        }
    }

    /// <summary>Lets <see cref="RunAsync"/> end once what is queued is pushed. Called after the commit thread has ended.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Registers or renews a follow and answers it with where its pushes start (a Notify without notes).</summary>
    internal void Follow(FollowRequest request, ClientAddress from, int requestBytes)
    {
        if (!_validator.IsValid(from.Ip, request.Token.Span))
        {
            // As for a history page: prove the address first, then be pushed to. The challenge is within 3× the request.
            _counters.Challenge();
            var challenge = MessageCodec.Encode(new RetryChallenge(request.RequestId, _validator.Issue(from.Ip)), _datagram);
            _replies.Send(_datagram.AsSpan(0, challenge), from, requestBytes, validated: false);
            return;
        }
        var now = NowMs();
        Sweep(now);
        var maxReply = Math.Clamp((int)request.MaxReply, ProtocolConstants.MinMaxReply, ProtocolConstants.MaxDatagram);
        var key = (from.Text, request.Subscription);
        if (_followers.TryGetValue(key, out var follower))
        {
            follower.Filter = new FollowFilter(request.Filter);
            follower.MaxReply = maxReply;
            follower.CleanFrom = Math.Max(follower.CleanFrom, request.AfterSeq);
        }
        else
        {
            if (_list.Count >= _maxFollowers)
            {
                var refusal = MessageCodec.Encode(new ErrorReply(request.RequestId, ErrorCode.TooManyFollowers, ""), _datagram);
                _replies.Send(_datagram.AsSpan(0, refusal), from, requestBytes, validated: true);
                return;
            }
            follower = new Follower(from, request.Subscription, new FollowFilter(request.Filter), maxReply) { Budget = _burst, BudgetAtMs = now };
            _followers.Add(key, follower);
            _list.Add(follower);
            // Counted before the newest seq is read: a commit after this read is handed on, or shows as a jump in seq.
            Interlocked.Increment(ref _count);
            Interlocked.MemoryBarrier();
            _counters.Follow();
            // Everything up to the newest seq is the follower's to fetch by history; pushes start after it.
            follower.CleanFrom = Math.Max(request.AfterSeq, _lastSeq());
        }
        follower.LeaseUntilMs = now + _leaseMs;
        var length = MessageCodec.WriteNotifyHeader(_datagram, request.RequestId, follower.Subscription, Epoch, follower.CleanFrom, follower.CleanFrom, (uint)_leaseMs, 0);
        _replies.Send(_datagram.AsSpan(0, length), from, requestBytes, validated: true);
    }

    /// <summary>Pushes the notes of one batch (seq order) to every follower they match.</summary>
    internal void Push(CommittedNote[] notes)
    {
        var now = NowMs();
        Sweep(now);
        var first = notes[0].Seq;
        var last = notes[^1].Seq;
        if (first > _processedThrough + 1)
        {
            // Notes the registry never saw: every follower's next push starts after them, so each sees the gap.
            foreach (var f in _list) f.CleanFrom = Math.Max(f.CleanFrom, first - 1);
        }
        _processedThrough = Math.Max(_processedThrough, last);
        if (_list.Count == 0) return;
        ResetWire(notes.Length);
        foreach (var follower in _list)
        {
            // An expired follower is forgotten at the next sweep; until then it is sent nothing.
            if (last <= follower.CleanFrom || follower.LeaseUntilMs <= now) continue;
            PushTo(follower, notes, last, now);
        }
    }

    private void PushTo(Follower follower, CommittedNote[] notes, ulong last, long now)
    {
        var after = follower.CleanFrom;
        var budget = follower.MaxReply - MessageCodec.NotifyOverhead;
        var body = _datagram.AsSpan(MessageCodec.NotifyOverhead);
        var used = 0;
        var count = 0;
        ulong lastInDatagram = 0;
        for (var i = 0; i < notes.Length; i++)
        {
            ref readonly var note = ref notes[i];
            if (note.Seq <= follower.CleanFrom || !follower.Filter.Matches(note)) continue;
            var wire = Wire(notes, i);
            if (count > 0 && used + wire.Length > budget)
            {
                Send(follower, after, lastInDatagram, count, used, now);
                after = lastInDatagram;
                used = 0;
                count = 0;
            }
            wire.CopyTo(body[used..]);
            used += wire.Length;
            count++;
            lastInDatagram = note.Seq;
        }
        if (count > 0) Send(follower, after, last, count, used, now);
        // Non-matching notes need no push: the next one's AfterSeq reaches back over them.
        else return;
        follower.CleanFrom = last;
    }

    /// <summary>Sends the notes in <c>_datagram</c> after the overhead as one push, if the follower's budget allows.</summary>
    private void Send(Follower follower, ulong after, ulong until, int count, int bodyLength, long now)
    {
        // The header goes right before the notes: its length varies with the seqs, the room before them does not.
        Span<byte> header = stackalloc byte[MessageCodec.NotifyOverhead];
        var headerLength = MessageCodec.WriteNotifyHeader(header, 0, follower.Subscription, Epoch, after, until, (uint)_leaseMs, count);
        var start = MessageCodec.NotifyOverhead - headerLength;
        header[..headerLength].CopyTo(_datagram.AsSpan(start));
        var length = headerLength + bodyLength;
        follower.Budget = Math.Min(_burst, follower.Budget + (now - follower.BudgetAtMs) * _bytesPerMs);
        follower.BudgetAtMs = now;
        if (follower.Budget < length)
        {
            _counters.PushDrop();
            return;
        }
        follower.Budget -= length;
        follower.Pushes++;
        _counters.Push();
        _replies.Send(_datagram.AsSpan(start, length), follower.To, 0, validated: true);
    }

    private void ResetWire(int notes)
    {
        if (_wireAt.Length < notes)
        {
            _wireAt = new int[notes];
            _wireLength = new int[notes];
        }
        Array.Fill(_wireAt, -1, 0, notes);
        _wireUsed = 0;
    }

    /// <summary>Note <paramref name="i"/> of the batch in wire form, encoded the first time a follower wants it.</summary>
    private ReadOnlySpan<byte> Wire(CommittedNote[] notes, int i)
    {
        if (_wireAt[i] < 0)
        {
            var note = notes[i].ToNote();
            var size = NoteWireFormat.Size(note);
            if (_wire.Length - _wireUsed < size) Array.Resize(ref _wire, Math.Max(_wire.Length * 2, _wireUsed + size));
            _wireAt[i] = _wireUsed;
            _wireLength[i] = NoteWireFormat.Write(note, _wire.AsSpan(_wireUsed));
            _wireUsed += _wireLength[i];
        }
        return _wire.AsSpan(_wireAt[i], _wireLength[i]);
    }

    /// <summary>Forgets followers whose lease ran out; at most once a second.</summary>
    private void Sweep(long now)
    {
        if (now - _lastSweepMs < 1000) return;
        _lastSweepMs = now;
        var removed = _list.RemoveAll(f =>
        {
            if (f.LeaseUntilMs > now) return false;
            _followers.Remove((f.To.Text, f.Subscription));
            return true;
        });
        if (removed == 0) return;
        Interlocked.Add(ref _count, -removed);
        _counters.FollowExpired(removed);
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A batch of committed notes, or a Follow with where it came from.</summary>
    private readonly record struct Work(CommittedNote[]? Notes, FollowRequest? Request, ClientAddress? From, int RequestBytes);
}
