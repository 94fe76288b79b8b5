using System.Net;
using System.Text;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.Bench.Micro;

/// <summary>
/// The server's handling of one datagram without sockets: the receive thread's work from bytes to a queued
/// append (the commit is measured by JournalLine and the load runs). The queue is drained after each call.
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
    }

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

    private int Handle(byte[] datagram)
    {
        _router.Handle(datagram, _from);
        var taken = 0;
        while (_commits.TryTakeBulk(out _) || _commits.TryTakeInteractive(out _)) taken++;
        return taken;
    }
}
