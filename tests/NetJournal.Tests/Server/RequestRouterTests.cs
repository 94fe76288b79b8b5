using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

public sealed class RequestRouterTests
{
    private sealed class NoReplies : IReplySender
    {
        public void Send(ReadOnlySpan<byte> datagram, ClientAddress to) => Assert.Fail("a plain-text or syslog note is never answered");
    }

    private readonly ServerCounters _counters = new();

    private RequestRouter Router(CommitQueue queue) =>
        new(queue, Channel.CreateUnbounded<QueryWork>().Writer, new ReplyGate(new NoReplies(), _counters), _counters,
            NullLogger.Instance, [IPNetwork.Parse("127.0.0.0/8")]);

    private static ClientAddress From(int port) => new(new IPEndPoint(IPAddress.Loopback, port));

    private static List<AppendWork> Drain(CommitQueue queue)
    {
        var works = new List<AppendWork>();
        while (queue.TryTakeBulk(out var work) || queue.TryTakeInteractive(out work)) works.Add(work);
        return works;
    }

    [Fact]
    public void The_plain_text_and_syslog_notes_of_one_receive_batch_go_to_the_commit_thread_as_one_work_in_arrival_order()
    {
        var queue = new CommitQueue(64 << 20);
        var router = Router(queue);
        var datagrams = new[] { "first 你好", "<13>Feb  5 17:32:18 host app: second", "third 🎉" };
        for (var i = 0; i < datagrams.Length; i++) router.Handle(Encoding.UTF8.GetBytes(datagrams[i]), From(40000 + i));

        Assert.Equal(0, queue.Count);
        router.EndOfBatch();

        var work = Assert.Single(Drain(queue));
        Assert.Null(work.ReplyTo);
        Assert.Equal(datagrams.Sum(d => Encoding.UTF8.GetByteCount(d)), work.RequestBytes);
        Assert.Equal(["127.0.0.1:40000", "127.0.0.1:40001", "127.0.0.1:40002"], work.Notes.Items.ToArray().Select(n => n.Address));
        Assert.Equal([NoteOrigin.PlainText, NoteOrigin.Syslog, NoteOrigin.PlainText], work.Notes.Items.ToArray().Select(n => n.Origin));
        Assert.Contains("second", Encoding.UTF8.GetString(work.Notes[1].Tail.Span), StringComparison.Ordinal);
        Assert.Contains("third 🎉", Encoding.UTF8.GetString(work.Notes[2].Tail.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void A_native_append_in_the_same_batch_still_goes_on_its_own_with_its_reply_address()
    {
        var queue = new CommitQueue(64 << 20);
        var router = Router(queue);
        router.Handle(Encoding.UTF8.GetBytes("plain"), From(40000));
        var append = MessageCodec.Encode(new AppendRequest(7, 1, 1, "alice", [Encoding.UTF8.GetBytes("typed")]));
        router.Handle(append, From(40001));
        router.EndOfBatch();

        var works = Drain(queue);
        Assert.Equal(2, works.Count);
        var native = Assert.Single(works, w => w.ReplyTo is not null);
        Assert.Equal(7UL, native.Instance);
        Assert.Equal(1, Assert.Single(works, w => w.ReplyTo is null).Notes.Count);
    }

    [Fact]
    public void Ending_a_batch_without_unanswered_notes_queues_nothing()
    {
        var queue = new CommitQueue(64 << 20);
        var router = Router(queue);
        router.EndOfBatch();
        router.Handle("\r\n"u8.ToArray(), From(40000));
        router.EndOfBatch();

        Assert.Equal(0, queue.Count);
        Assert.Equal(1, _counters.Rejected);
    }

    [Fact]
    public void A_long_run_without_an_end_of_batch_is_handed_on_in_works_of_at_most_64_notes()
    {
        var queue = new CommitQueue(64 << 20);
        var router = Router(queue);
        for (var i = 0; i < 150; i++) router.Handle(Encoding.UTF8.GetBytes($"note {i}"), From(40000));
        router.EndOfBatch();

        Assert.Equal([64, 64, 22], Drain(queue).Select(w => w.Notes.Count));
    }

    [Fact]
    public void A_batch_refused_by_a_full_queue_counts_each_of_its_datagrams_as_dropped()
    {
        var queue = new CommitQueue(1024);
        var router = Router(queue);
        for (var i = 0; i < 5; i++) router.Handle(Encoding.UTF8.GetBytes($"note {i}"), From(40000));
        router.EndOfBatch();

        Assert.Equal(0, queue.Count);
        Assert.Equal(5, _counters.Dropped);
    }
}
