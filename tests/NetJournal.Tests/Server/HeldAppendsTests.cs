using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Server;

/// <summary>The commit thread keeps appends that came before an earlier number, for clients that accept Held.</summary>
public sealed class HeldAppendsTests : IDisposable
{
    private sealed class RecordedReplies : IReplySender
    {
        public List<(AppendAck Ack, int Port)> Acks { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram, ClientAddress to)
        {
            Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram.ToArray(), out var message));
            Acks.Add(((AppendAck)message!, to.EndPoint.Port));
        }
    }

    private const ulong Instance = 0x1A2B3C4D5E6F7081;

    private readonly TempDirectory _directory = new();
    private readonly JournalStore _store;
    private readonly RecordedReplies _replies = new();
    private readonly CommitQueue _queue = new(64 << 20);
    private readonly ServerCounters _counters = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero));
    private HeldAppends _held = new();
    private GroupCommitter _committer;

    public HeldAppendsTests()
    {
        _store = JournalStore.Open(_directory.Path);
        _committer = Committer();
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private GroupCommitter Committer() =>
        new(_store, new ReplyGate(_replies, _counters), _counters, NullLogger.Instance, maxBatchNotes: 512, held: _held, time: _time);

    private void Bounds(int maxPerInstance = HeldAppends.DefaultMaxPerInstance, long maxBytes = HeldAppends.DefaultMaxBytes)
    {
        _held = new HeldAppends(maxPerInstance, maxBytes);
        _committer = Committer();
    }

    /// <summary>
    /// A datagram of <see cref="Instance"/> with one note per text, numbered from <paramref name="first"/>, from port
    /// <paramref name="port"/>; a text of null stands for a note refused on arrival (NotOneLine).
    /// </summary>
    private AppendWork Append(ulong first, bool acceptsHeld = true, int port = 40000, params string?[] texts)
    {
        if (texts.Length == 0) texts = [$"note {first} 笔记"];
        var from = new ClientAddress(new IPEndPoint(IPAddress.Loopback, port));
        var work = _queue.Rent().Start(from, Instance, first, 100 + 100 * texts.Length, @base: 1, acceptsHeld);
        for (var i = 0; i < texts.Length; i++)
        {
            var refusal = texts[i] is null ? ErrorCode.NotOneLine : ErrorCode.None;
            work.Notes.Add(new PendingNote("ana", from.Text, null, Instance: Instance, Number: first + (ulong)i, Base: 1, Refusal: refusal),
                Encoding.UTF8.GetBytes(texts[i] ?? "two\nlines"));
        }
        return work;
    }

    private void Commit(params AppendWork[] works)
    {
        foreach (var work in works) Assert.True(_queue.TryWrite(work, interactive: false));
        _committer.CommitNext(_queue);
    }

    /// <summary>The acks sent, each as "FirstNumber: result, result": "2: Held", "1: Stored 1", "2: Stored 2, Rejected NotOneLine".</summary>
    private List<string> Acks() => [.. _replies.Acks.Select(a => $"{a.Ack.FirstNumber}: {string.Join(", ", a.Ack.Results.Select(Describe))}")];

    private static string Describe(NoteResult r) => r.Status switch
    {
        NoteStatus.Stored or NoteStatus.Duplicate => $"{r.Status} {r.Seq}",
        NoteStatus.Rejected => $"Rejected {r.Error}",
        _ => r.Status.ToString(),
    };

    [Fact]
    public void Datagrams_after_a_gap_are_answered_held_then_stored_in_order_in_the_batch_that_fills_it()
    {
        Commit(Append(2), Append(3));

        Assert.Equal(["2: Held", "3: Held"], Acks());
        Assert.Equal(0, _store.NoteCount);
        Assert.Equal(2, _counters.Held);
        Assert.Equal(2, _held.Count);

        _replies.Acks.Clear();
        Commit(Append(1));

        Assert.Equal(
            ["1: Stored 1", "2: Stored 2", "3: Stored 3"], Acks());
        Assert.Equal(2, _counters.Commits);
        Assert.True(_held.IsEmpty);
        // The held notes kept their prepared lines: the journal has their text, in the client's order.
        Assert.Equal(["note 1 笔记", "note 2 笔记", "note 3 笔记"], _store.ReadPage(HistoryFilter.None, 0, 0, 65_000).Notes.Select(n => n.Text));
        Assert.Equal(CommitQueue.Cost(Append(1)) * 2, _counters.HeldPeakBytes);
    }

    [Fact]
    public void Without_the_flag_a_datagram_after_a_gap_is_deferred_as_before()
    {
        Commit(Append(2, acceptsHeld: false));

        Assert.Equal(["2: Deferred"], Acks());
        Assert.True(_held.IsEmpty);
        Assert.Equal(0, _counters.Held);

        Commit(Append(1, acceptsHeld: false));
        Assert.Equal(1, _store.NoteCount);
        Assert.Equal(2, _replies.Acks.Count);
    }

    [Fact]
    public void A_datagram_in_its_turn_is_stored_at_once_whatever_the_flag()
    {
        Commit(Append(1));

        Assert.Equal(["1: Stored 1"], Acks());
        Assert.Equal(0, _counters.Held);
    }

    [Fact]
    public void A_held_datagram_whose_turn_has_not_come_waits_while_earlier_ones_are_stored()
    {
        Commit(Append(3));
        Commit(Append(1));

        Assert.Equal(["3: Held", "1: Stored 1"], Acks());
        Assert.Equal(1, _held.Count);

        Commit(Append(2));
        Assert.Equal(["2: Stored 2", "3: Stored 3"], Acks()[2..]);
        Assert.True(_held.IsEmpty);
    }

    [Fact]
    public void A_datagram_made_due_by_a_later_base_is_stored_with_the_datagram_that_carries_it()
    {
        Commit(Append(3));
        // The client gave up on 1 and 2 (or had them answered): Base 3 settles every number below it.
        var later = _queue.Rent().Start(new ClientAddress(new IPEndPoint(IPAddress.Loopback, 40000)), Instance, 4, 200, @base: 3, acceptsHeld: true);
        later.Notes.Add(new PendingNote("ana", "127.0.0.1:40000", null, Instance: Instance, Number: 4, Base: 3), "four"u8);
        Commit(later);

        Assert.Equal(["3: Held", "3: Stored 1", "4: Stored 2"], Acks());
        Assert.Equal(2, _counters.Commits);
    }

    [Fact]
    public void A_datagram_whose_predecessor_comes_later_in_the_same_batch_is_stored_in_the_next_batch()
    {
        Commit(Append(1));
        // The network swapped 2 and 3, and both came in one receive batch.
        Commit(Append(3), Append(2));

        Assert.Equal(["3: Held", "2: Stored 2"], Acks()[1..]);
        Assert.Equal(1, _counters.Held);

        // Nothing else arrives: the next round of the commit thread stores it all the same.
        _committer.CommitNext(_queue);
        Assert.Equal("3: Stored 3", Acks()[^1]);
        Assert.True(_held.IsEmpty);
        Assert.Equal(3, _store.NoteCount);
    }

    [Fact]
    public void A_refused_note_of_a_held_datagram_gets_its_rejection_in_the_final_ack()
    {
        Commit(Append(2, texts: ["fine", null]));

        Assert.Equal(["2: Held, Held"], Acks());

        Commit(Append(1));
        Assert.Equal(["1: Stored 1", "2: Stored 2, Rejected NotOneLine"],
            Acks()[1..]);
        Assert.Equal(1, _counters.Rejected);
    }

    [Fact]
    public void A_copy_of_a_held_datagram_is_answered_held_again_and_kept_once_with_the_newest_address()
    {
        Commit(Append(2, port: 40000));
        Commit(Append(2, port: 40001));

        Assert.Equal(["2: Held", "2: Held"], Acks());
        Assert.Equal(1, _held.Count);
        Assert.Equal(1, _counters.Held);

        // Two copies in one batch: still one kept.
        Commit(Append(2, port: 40002), Append(2, port: 40003));
        Assert.Equal(1, _held.Count);
        Assert.Equal(4, _replies.Acks.Count);

        _replies.Acks.Clear();
        Commit(Append(1));
        Assert.Equal(2, _store.NoteCount);
        Assert.Equal([(1, 40000), (2, 40002)], _replies.Acks.Select(a => ((int)a.Ack.FirstNumber, a.Port)));
        Assert.Equal(NoteResult.Stored(2), _replies.Acks[1].Ack.Results[0]);
    }

    [Fact]
    public void Past_the_bound_per_instance_a_datagram_is_deferred()
    {
        Bounds(maxPerInstance: 2);

        Commit(Append(2), Append(3), Append(4));

        Assert.Equal([NoteStatus.Held, NoteStatus.Held, NoteStatus.Deferred], _replies.Acks.Select(a => a.Ack.Results[0].Status));
        Assert.Equal(2, _held.Count);
    }

    [Fact]
    public void Past_the_bound_in_bytes_a_datagram_is_deferred()
    {
        Bounds(maxBytes: CommitQueue.Cost(Append(2)) + 10);

        Commit(Append(2), Append(3));

        Assert.Equal([NoteStatus.Held, NoteStatus.Deferred], _replies.Acks.Select(a => a.Ack.Results[0].Status));
        Assert.Equal(CommitQueue.Cost(Append(2)), _held.Bytes);
    }

    [Fact]
    public void A_held_datagram_whose_gap_is_not_filled_in_time_is_dropped_and_given_back()
    {
        var held = Append(2);
        Commit(held);
        Assert.True(held.IsKept);

        _time.Advance(TimeSpan.FromSeconds(9));
        _committer.CommitNext(_queue);
        Assert.Equal(1, _held.Count);

        _time.Advance(TimeSpan.FromSeconds(1.5));
        _committer.CommitNext(_queue);
        Assert.True(_held.IsEmpty);
        Assert.Equal(1, _counters.HeldExpired);
        Assert.Same(held, _queue.Rent());

        _replies.Acks.Clear();
        Commit(Append(1));
        Assert.Equal(["1: Stored 1"], Acks());
    }

    [Fact]
    public void A_retransmission_does_not_make_a_held_datagram_wait_longer()
    {
        Commit(Append(2));
        _time.Advance(TimeSpan.FromSeconds(6));
        Commit(Append(2, port: 40001));
        _time.Advance(TimeSpan.FromSeconds(5));
        _committer.CommitNext(_queue);

        Assert.True(_held.IsEmpty);
        Assert.Equal(1, _counters.HeldExpired);
    }

    [Fact]
    public void The_server_reads_the_flag_of_an_append_into_its_work()
    {
        var counters = new ServerCounters();
        var router = new RequestRouter(_queue, Channel.CreateUnbounded<QueryWork>().Writer, new ReplyGate(_replies, counters), counters,
            NullLogger.Instance, []);
        var from = new ClientAddress(new IPEndPoint(IPAddress.Loopback, 40000));
        var request = new AppendRequest(Instance, 1, 3, "ana", [Encoding.UTF8.GetBytes("你好")]);

        router.Handle(MessageCodec.Encode(request with { AcceptsHeld = true }), from);
        router.Handle(MessageCodec.Encode(request), from);

        Assert.True(_queue.TryTakeBulk(out var flagged) && flagged.AcceptsHeld && flagged.Base == 1 && flagged.NextNumber == 4);
        Assert.True(_queue.TryTakeBulk(out var plain) && !plain.AcceptsHeld);
        Assert.Equal(0, counters.Unsupported);
    }
}
