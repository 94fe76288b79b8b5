using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Web;

namespace NetJournal.Tests.Web;

public sealed class NoteFeedTests
{
    private static CommittedNote Note(ulong seq, string client = "alice", string text = "note") =>
        new(seq, 1_764_000_000_000 + (long)seq, client, "127.0.0.1:5000", text);

    private static List<ulong> Drain(NoteSubscription subscription)
    {
        var seqs = new List<ulong>();
        while (subscription.Notes.TryRead(out var note)) seqs.Add(note.Seq);
        return seqs;
    }

    [Fact]
    public void A_subscription_gets_the_matching_notes_committed_after_it_in_order()
    {
        var feed = new NoteFeed();
        feed.OnCommitted([Note(1)]);
        using var bob = feed.Subscribe(new HistoryFilter(Client: "bob", Grep: "KEEP"), 100);
        using var all = feed.Subscribe(HistoryFilter.None, 100);
        feed.OnCommitted([Note(2, "bob", "keep me"), Note(3, "alice", "keep"), Note(4, "bob", "drop")]);
        feed.OnCommitted([Note(5, "bob", "KEEP too")]);
        Assert.Equal([2UL, 5UL], Drain(bob));
        Assert.Equal([2UL, 3UL, 4UL, 5UL], Drain(all));
    }

    [Fact]
    public void A_full_queue_is_closed_without_waiting_and_keeps_what_it_had()
    {
        var feed = new NoteFeed();
        using var slow = feed.Subscribe(HistoryFilter.None, 10);
        using var other = feed.Subscribe(HistoryFilter.None, 100);
        feed.OnCommitted([.. Enumerable.Range(1, 25).Select(i => Note((ulong)i))]);
        Assert.True(slow.Overflowed);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), Drain(slow));
        Assert.True(slow.Notes.Completion.IsCompleted);
        // Another reader is not affected.
        Assert.False(other.Overflowed);
        Assert.Equal(25, Drain(other).Count);
    }

    [Fact]
    public void A_disposed_subscription_is_no_longer_fed()
    {
        var feed = new NoteFeed();
        var subscription = feed.Subscribe(HistoryFilter.None, 10);
        Assert.Equal(1, feed.Count);
        subscription.Dispose();
        Assert.Equal(0, feed.Count);
        feed.OnCommitted([Note(1)]);
        Assert.Empty(Drain(subscription));
    }
}
