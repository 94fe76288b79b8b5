using System.Diagnostics;
using System.Threading.Channels;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Tests.Client;

/// <summary>
/// A scripted server behind an in-memory <see cref="IDatagramTransport"/>: every datagram the client sends is decoded,
/// recorded with the time it left, and handed to the script, which says what the server does with it — drop it,
/// answer it (once, twice, with Deferred or Held), or report the port closed; the script may also send later, unasked
/// (<see cref="Deliver"/>), as the server sends a held datagram's final ack. No sockets, no clocks of its own but a stopwatch.
/// </summary>
internal sealed class FakeTransport : IDatagramTransport
{
    /// <summary>What the scripted server does with one datagram: answer with <see cref="Answers"/> (none: lost), and/or refuse it.</summary>
    public sealed record Reply(IReadOnlyList<byte[]> Answers, DatagramStatus SendStatus = DatagramStatus.Ok, bool RefusedOnReceive = false)
    {
        /// <summary>Lost on the way (or never answered): the client hears nothing.</summary>
        public static readonly Reply Drop = new([]);

        /// <summary>The send itself reports the server's port closed.</summary>
        public static readonly Reply Refused = new([], DatagramStatus.Unreachable);

        /// <summary>The send goes out; the port-unreachable report comes on the receive side, as ICMP does.</summary>
        public static readonly Reply RefusedLater = new([], RefusedOnReceive: true);

        /// <summary>These messages come back, in this order (the same one twice for a duplicated reply).</summary>
        public static Reply With(params JournalMessage[] answers) => new(answers.Select(MessageCodec.Encode).ToArray());
    }

    /// <summary>One datagram the client sent, decoded, and when it left (time since the transport was made).</summary>
    public sealed record SentDatagram(JournalMessage Message, TimeSpan At);

    private readonly Lock _gate = new();
    private readonly Func<JournalMessage, Reply> _script;
    // Null stands for a port-unreachable report.
    private readonly Channel<byte[]?> _inbox = Channel.CreateUnbounded<byte[]?>();
    private readonly List<SentDatagram> _sent = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<ulong, ulong> _stored = [];
    private ulong _lastSeq;

    /// <param name="script">Called for each datagram sent, one at a time, on the sending thread.</param>
    public FakeTransport(Func<JournalMessage, Reply> script) => _script = script;

    public bool Disposed { get; private set; }

    public IReadOnlyList<SentDatagram> Sent
    {
        get { lock (_gate) return [.. _sent]; }
    }

    /// <summary>The datagrams of one message type sent, in the order they left.</summary>
    public IReadOnlyList<T> SentOf<T>() where T : JournalMessage => Sent.Select(s => s.Message).OfType<T>().ToList();

    /// <summary>
    /// An AppendAck storing every note of <paramref name="append"/> under the next seqs, built as the server builds it.
    /// A number stored before is answered Duplicate with its seq, as the server deduplicates retries.
    /// </summary>
    public Reply Store(AppendRequest append)
    {
        var results = new NoteResult[append.Notes.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var number = append.FirstNumber + (ulong)i;
            results[i] = _stored.TryGetValue(number, out var seq) ? NoteResult.Duplicate(seq) : NoteResult.Stored(_stored[number] = ++_lastSeq);
        }
        return Ack(append, results);
    }

    /// <summary>An AppendAck deferring every note of <paramref name="append"/>: the server waits for an earlier number.</summary>
    public static Reply Defer(AppendRequest append) => Ack(append, Enumerable.Repeat(NoteResult.Deferred, append.Notes.Count).ToArray());

    /// <summary>An AppendAck holding every note of <paramref name="append"/>: kept until the earlier numbers come, final ack later.</summary>
    public static Reply Hold(AppendRequest append) => Ack(append, Enumerable.Repeat(NoteResult.Held, append.Notes.Count).ToArray());

    /// <summary>An AppendAck refusing every note of <paramref name="append"/> with StoreUnavailable: the server's database is away, nothing stored.</summary>
    public static Reply NotYet(AppendRequest append) => Ack(append, Enumerable.Repeat(NoteResult.Rejected(ErrorCode.StoreUnavailable), append.Notes.Count).ToArray());

    /// <summary>What a server that predates the AcceptsHeld flag answers a flagged append.</summary>
    public static readonly Reply UnknownMessage = Reply.With(new ErrorReply(0, ErrorCode.UnknownMessage, "unknown message"));

    /// <summary>Sends the answers of <paramref name="reply"/> to the client now, unasked (call it from the script or a test).</summary>
    public void Deliver(Reply reply)
    {
        foreach (var answer in reply.Answers) _inbox.Writer.TryWrite(answer);
    }

    private static Reply Ack(AppendRequest append, NoteResult[] results)
    {
        var buffer = new byte[ProtocolConstants.MaxDatagram];
        var length = MessageCodec.EncodeAppendAck(append.Instance, append.FirstNumber, results, buffer);
        return new Reply([buffer[..length]]);
    }

    public DatagramStatus Send(ReadOnlySpan<byte> datagram)
    {
        if (MessageCodec.TryDecode(datagram.ToArray(), out var message) != DecodeStatus.Ok)
            throw new InvalidOperationException("the client sent a datagram that does not decode");
        lock (_gate)
        {
            _sent.Add(new SentDatagram(message!, _clock.Elapsed));
            var reply = _script(message!);
            foreach (var answer in reply.Answers) _inbox.Writer.TryWrite(answer);
            if (reply.RefusedOnReceive) _inbox.Writer.TryWrite(null);
            return reply.SendStatus;
        }
    }

    public async ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[]? datagram;
        try
        {
            datagram = await _inbox.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(FakeTransport));
        }
        if (datagram is null) return DatagramReceiveResult.Unreachable;
        datagram.CopyTo(buffer);
        return DatagramReceiveResult.Received(datagram.Length);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        _inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
