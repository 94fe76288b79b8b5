using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

public sealed class CommitQueueTests
{
    private static AppendWork Work(ulong first, int notes = 1, int bytes = 10)
    {
        var work = new AppendWork().Start(null, 1, first, bytes);
        for (var i = 0; i < notes; i++) work.Notes.Add(new PendingNote("c", "127.0.0.1:1", "笔记"));
        return work;
    }

    /// <summary>What one <see cref="Work"/> costs in the queue: its 10 bytes and one note.</summary>
    private const long OneWork = 10 + CommitQueue.BytesPerNote;

    [Fact]
    public async Task Interactive_works_are_taken_before_bulk_ones_queued_earlier()
    {
        var queue = new CommitQueue(100 * OneWork);
        Assert.True(queue.TryWrite(Work(1), interactive: false));
        Assert.True(queue.TryWrite(Work(2), interactive: false));
        Assert.True(queue.TryWrite(Work(3), interactive: true));
        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryTakeInteractive(out var first));
        Assert.Equal(3UL, first.FirstNumber);
        Assert.False(queue.TryTakeInteractive(out _));
        Assert.True(queue.TryTakeBulk(out var second));
        Assert.Equal(1UL, second.FirstNumber);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void A_full_queue_refuses_and_counts_nothing_extra()
    {
        var queue = new CommitQueue(2 * OneWork);
        Assert.True(queue.TryWrite(Work(1), false));
        Assert.True(queue.TryWrite(Work(2), true));
        Assert.False(queue.TryWrite(Work(3), false));
        Assert.Equal(2, queue.Count);
        Assert.Equal(2 * OneWork, queue.Bytes);
        Assert.True(queue.TryTakeBulk(out _));
        Assert.Equal(OneWork, queue.Bytes);
        Assert.True(queue.TryWrite(Work(4), false));
    }

    [Fact]
    public void The_bound_is_in_bytes_so_one_large_append_takes_the_room_of_many_single_notes()
    {
        var queue = new CommitQueue(3 * OneWork);
        var large = Work(1, notes: 3, bytes: 1200);
        Assert.False(queue.TryWrite(large, false));
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Bytes);
        Assert.True(queue.TryWrite(Work(1), false));
        Assert.True(queue.TryWrite(Work(2), false));
        Assert.True(queue.TryWrite(Work(3), false));
        Assert.False(queue.TryWrite(Work(4), false));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public async Task A_completed_queue_is_drained_before_the_reader_is_told_to_stop()
    {
        var queue = new CommitQueue(10 * OneWork);
        queue.TryWrite(Work(1), false);
        queue.Complete();
        Assert.False(queue.TryWrite(Work(2), false));
        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryTakeBulk(out _));
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task A_waiting_reader_wakes_when_a_work_arrives()
    {
        var queue = new CommitQueue(10 * OneWork);
        var waiting = queue.WaitToReadAsync();
        Assert.False(waiting.IsCompleted);
        queue.TryWrite(Work(1), true);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_returned_work_is_handed_out_again_empty_and_without_its_client()
    {
        var queue = new CommitQueue(10 * OneWork);
        var work = queue.Rent().Start(new ClientAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 4000)), 1, 1, 10);
        work.Notes.Add(new PendingNote("c", "127.0.0.1:4000", "笔记"));
        queue.Return(work);
        var again = queue.Rent();
        Assert.Same(work, again);
        Assert.Equal(0, again.Notes.Count);
        Assert.Null(again.ReplyTo);
        Assert.NotSame(again, queue.Rent());
    }

    [Fact]
    public void A_work_that_grew_large_is_not_kept_for_reuse()
    {
        var queue = new CommitQueue(10 * OneWork);
        var work = queue.Rent().Start(null, 1, 1, 60_000);
        // Escaped six bytes to a character: tails of about 300 KB, past what a free work may hold.
        for (var i = 0; i < 12; i++) work.Notes.Add(new PendingNote("c", "127.0.0.1:1", new string('\u0001', 4_000)));
        queue.Return(work);
        Assert.NotSame(work, queue.Rent());
    }

    [Fact]
    public void A_work_of_a_full_loopback_datagram_is_kept_for_reuse()
    {
        var queue = new CommitQueue(10 * OneWork);
        var work = queue.Rent().Start(null, 1, 1, 32_000);
        // 255 notes of 100 bytes with their tails: about 60 KB, which was past the old limit and made anew each time.
        for (var i = 0; i < 255; i++) work.Notes.Add(new PendingNote("writer", "127.0.0.1:40000", new string('x', 100)));
        queue.Return(work);
        Assert.Same(work, queue.Rent());
    }
}
