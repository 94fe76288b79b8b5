using System.Net;
using System.Text;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Bench.Micro;

/// <summary>
/// The server's handling of one datagram without sockets: the receive thread's work from bytes to a queued
/// append, the queue drained after each call. <see cref="HandleAndCommitAppendsOf1Note"/> goes on to the
/// acknowledgement: 64 single-note appends from 64 clients committed as one batch (one write, one fdatasync) to a
/// real journal file, per note.
/// </summary>
[MemoryDiagnoser]
public class ServerHandlingBenchmarks
{
    private sealed class NoReplies : IReplySender
    {
        public void Send(ReadOnlySpan<byte> datagram, ClientAddress to)
        {
        }
    }

    private CommitQueue _commits = null!;
    private CommitQueue _batchQueue = null!;
    private RequestRouter _batchRouter = null!;
    private GroupCommitter _committer = null!;
    private JournalStore _store = null!;
    private string _directory = null!;
    private ClientAddress[] _clients = null!;
    private byte[] _appendBuffer = null!, _appendRest = null!;
    private ulong _round;
    private RequestRouter _router = null!;
    private ClientAddress _from = null!;
    private byte[] _append1 = null!, _append10 = null!, _plain = null!;

    [GlobalSetup]
    public void Setup()
    {
        var counters = new ServerCounters();
        _commits = new CommitQueue(1 << 20);
        _router = new RequestRouter(_commits, Channel.CreateUnbounded<QueryWork>().Writer, new ReplyGate(new NoReplies(), counters), counters,
            NullLogger.Instance, [IPNetwork.Parse("127.0.0.0/8")]);
        _from = new ClientAddress(new IPEndPoint(IPAddress.Loopback, 40000));
        _append1 = MessageCodec.Encode(MicroData.AppendRequest(1));
        _append10 = MessageCodec.Encode(MicroData.AppendRequest(10));
        _plain = Encoding.UTF8.GetBytes(MicroData.Text(1));

        _directory = Directory.CreateTempSubdirectory("netjournal-bench-").FullName;
        _store = JournalStore.Open(_directory);
        var replies = new ReplyGate(new NoReplies(), counters);
        _batchQueue = new CommitQueue(64 << 20);
        _batchRouter = new RequestRouter(_batchQueue, Channel.CreateUnbounded<QueryWork>().Writer, replies, counters,
            NullLogger.Instance, [IPNetwork.Parse("127.0.0.0/8")]);
        _committer = new GroupCommitter(_store, replies, counters, NullLogger.Instance, maxBatchNotes: 4096);
        _clients = [.. Enumerable.Range(0, BatchAppends).Select(i => new ClientAddress(new IPEndPoint(IPAddress.Loopback, 41000 + i)))];
        // An append is header, instance, base, first number, then name and notes: the part after the numbers is kept
        // to be copied behind each round's numbers.
        var template = MessageCodec.Encode(MicroData.AppendRequest(1) with { Base = 1, FirstNumber = 1 });
        _appendRest = template[(6 + 8 + 2)..];
        _appendBuffer = new byte[template.Length + 32];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private const int BatchAppends = 64;

    [Benchmark]
    public bool AppendViewTryRead()
    {
        if (!AppendRequestView.TryRead(_append10, out var view)) return false;
        var bytes = 0;
        foreach (var note in view) bytes += note.Length;
        return bytes > 0;
    }

    [Benchmark]
    public int HandleAppendOf1Note() => Handle(_append1);

    [Benchmark]
    public int HandleAppendOf10Notes() => Handle(_append10);

    [Benchmark]
    public int HandlePlainTextNote() => Handle(_plain);

    /// <summary>
    /// Each of 64 clients sends its next note (a new number each round, so none is a duplicate), then one group
    /// commit stores and acknowledges them all. Allocated bytes per note include its index entry (40 bytes, in
    /// chunks) and what the store and server keep per client.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BatchAppends)]
    public int HandleAndCommitAppendsOf1Note()
    {
        _round++;
        for (var i = 0; i < BatchAppends; i++)
        {
            // Client i's next note, written in place as its client would: nothing settled is unanswered (base = number).
            var w = new WireWriter(_appendBuffer);
            w.WriteHeader(MessageType.AppendRequest);
            w.WriteUInt64(1000 + (ulong)i);
            w.WriteVarUInt(_round);
            w.WriteVarUInt(_round);
            _appendRest.CopyTo(_appendBuffer.AsSpan(w.Position));
            _batchRouter.Handle(_appendBuffer.AsMemory(0, w.Position + _appendRest.Length), _clients[i]);
        }
        _committer.CommitNext(_batchQueue);
        return _store.NoteCount;
    }

    private int Handle(byte[] datagram)
    {
        _router.Handle(datagram, _from);
        _router.EndOfBatch();
        var taken = 0;
        // Given back as the commit thread gives them back once acknowledged, to be filled again.
        while (_commits.TryTakeBulk(out var work) || _commits.TryTakeInteractive(out work))
        {
            _commits.Return(work);
            taken++;
        }
        return taken;
    }
}
