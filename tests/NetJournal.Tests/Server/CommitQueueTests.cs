using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

public sealed class CommitQueueTests
{
    private static AppendWork Work(ulong first) => new(null, 1, first, [new PendingNote("c", "127.0.0.1:1", "笔记")], 10);

    [Fact]
    public async Task Interactive_works_are_taken_before_bulk_ones_queued_earlier()
    {
        var queue = new CommitQueue(100);
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
        var queue = new CommitQueue(2);
        Assert.True(queue.TryWrite(Work(1), false));
        Assert.True(queue.TryWrite(Work(2), true));
        Assert.False(queue.TryWrite(Work(3), false));
        Assert.Equal(2, queue.Count);
        Assert.True(queue.TryTakeBulk(out _));
        Assert.True(queue.TryWrite(Work(4), false));
    }

    [Fact]
    public async Task A_completed_queue_is_drained_before_the_reader_is_told_to_stop()
    {
        var queue = new CommitQueue(10);
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
        var queue = new CommitQueue(10);
        var waiting = queue.WaitToReadAsync();
        Assert.False(waiting.IsCompleted);
        queue.TryWrite(Work(1), true);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
