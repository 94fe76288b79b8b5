using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

public sealed class CommitQueueTests
{
    private static AppendWork Work(ulong first) => new(null, 1, first, [new PendingNote("c", "127.0.0.1:1", "笔记")], 10);

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
        var large = new AppendWork(null, 1, 1, Enumerable.Range(0, 3).Select(_ => new PendingNote("c", "127.0.0.1:1", "x")).ToArray(), 1200);
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
}
