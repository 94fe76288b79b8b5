using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Server;

public sealed class GroupCommitterTests : IDisposable
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

    private readonly TempDirectory _directory = new();
    private readonly JournalStore _store;
    private readonly RecordedReplies _replies = new();
    private readonly CommitQueue _queue = new(64 << 20);
    private readonly GroupCommitter _committer;

    public GroupCommitterTests()
    {
        _store = JournalStore.Open(_directory.Path);
        var counters = new ServerCounters();
        _committer = new GroupCommitter(_store, new ReplyGate(_replies, counters), counters, NullLogger.Instance, maxBatchNotes: 512);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    /// <summary>A client's append of <paramref name="notes"/> notes, numbered from 1, from port 40000 + instance.</summary>
    private AppendWork Append(ulong instance, int notes)
    {
        var from = new ClientAddress(new IPEndPoint(IPAddress.Loopback, 40000 + (int)instance));
        var work = _queue.Rent().Start(from, instance, 1, 100 + 100 * notes);
        for (var i = 0; i < notes; i++)
            work.Notes.Add(new PendingNote($"client-{instance}", from.Text, null, Instance: instance, Number: 1 + (ulong)i, Base: 1), Encoding.UTF8.GetBytes($"note {i} 笔记"));
        return work;
    }

    [Fact]
    public void A_typed_note_is_committed_without_the_large_bulk_append_queued_before_it()
    {
        Assert.True(_queue.TryWrite(Append(1, 150), interactive: false));
        Assert.True(_queue.TryWrite(Append(2, 1), interactive: true));

        _committer.CommitNext(_queue);
        Assert.Equal(1, _store.NoteCount);
        Assert.Equal(40002, Assert.Single(_replies.Acks).Port);

        _committer.CommitNext(_queue);
        Assert.Equal(151, _store.NoteCount);
        var bulk = _replies.Acks[1].Ack;
        Assert.Equal(150, bulk.Results.Count);
        Assert.All(bulk.Results, r => Assert.Equal(NoteStatus.Stored, r.Status));
    }

    [Fact]
    public void A_bulk_batch_stops_at_the_first_append_that_reaches_the_most_notes_per_batch_and_never_splits_one()
    {
        var counters = new ServerCounters();
        var committer = new GroupCommitter(_store, new ReplyGate(_replies, counters), counters, NullLogger.Instance, maxBatchNotes: 15);
        for (ulong i = 1; i <= 3; i++) Assert.True(_queue.TryWrite(Append(i, 10), interactive: false));

        committer.CommitNext(_queue);
        Assert.Equal(20, _store.NoteCount);
        committer.CommitNext(_queue);
        Assert.Equal(30, _store.NoteCount);
        Assert.Equal(2, counters.Commits);
        Assert.All(_replies.Acks, a => Assert.Equal(10, a.Ack.Results.Count));
    }

    [Fact]
    public void Small_bulk_appends_ride_along_with_a_typed_note_while_they_fit()
    {
        for (ulong i = 1; i <= 3; i++) Assert.True(_queue.TryWrite(Append(i, 20), interactive: false));
        Assert.True(_queue.TryWrite(Append(9, 1), interactive: true));

        _committer.CommitNext(_queue);
        // The typed note and three 20-note appends make 61, within the 64 that may ride along.
        Assert.Equal(61, _store.NoteCount);
        Assert.Equal(4, _replies.Acks.Count);
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public void Committed_works_are_given_back_for_the_receive_thread_to_fill_again()
    {
        var work = Append(1, 3);
        Assert.True(_queue.TryWrite(work, interactive: false));
        _committer.CommitNext(_queue);
        Assert.Equal(3, _store.NoteCount);
        Assert.Same(work, _queue.Rent());
        Assert.Equal(0, work.Notes.Count);
    }
}
