using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

/// <summary>The commit thread over <see cref="MemoryJournalStore"/>, with and without commit listeners.</summary>
public class GroupCommitterListenerTests
{
    private sealed class NoReplies : IReplySender
    {
        public void Send(ReadOnlySpan<byte> datagram, ClientAddress to)
        {
        }
    }

    private static readonly ClientAddress From = new(new IPEndPoint(IPAddress.Loopback, 40001));

    private static AppendWork Append(CommitQueue queue, ulong first, params string[] texts)
    {
        var work = queue.Rent().Start(From, 1, first, 100);
        for (var i = 0; i < texts.Length; i++)
            work.Notes.Add(new PendingNote("ana", From.Text, null, Instance: 1, Number: first + (ulong)i, Base: first), Encoding.UTF8.GetBytes(texts[i]));
        return work;
    }

    private static GroupCommitter Committer(IJournalStore store, params ICommitListener[] listeners)
    {
        var counters = new ServerCounters();
        return new GroupCommitter(store, new ReplyGate(new NoReplies(), counters), counters, NullLogger.Instance, 512, listeners);
    }

    [Fact]
    public void Listeners_are_told_of_stored_notes_only_with_the_text_that_came_as_utf8()
    {
        var store = new MemoryJournalStore();
        var listener = new RecordingListener();
        var queue = new CommitQueue(1 << 20, store.NoteEncoder, keepText: true);
        var committer = Committer(store, listener);
        Assert.True(queue.TryWrite(Append(queue, 1, "你好 🙂", "second"), interactive: false));
        committer.CommitNext(queue);
        // A retry of both and a note that must wait: neither is news to a listener.
        Assert.True(queue.TryWrite(Append(queue, 1, "你好 🙂", "second"), interactive: false));
        Assert.True(queue.TryWrite(Append(queue, 5, "later"), interactive: false));
        committer.CommitNext(queue);

        Assert.Equal(["你好 🙂", "second"], listener.Notes.Select(n => n.Text));
        Assert.Equal([1UL, 2UL], listener.Notes.Select(n => n.Seq));
        Assert.Equal(store.ReadPage(HistoryFilter.None, 0, 0, 4096).Notes, listener.Notes.Select(n => n.ToNote()));
    }

    [Fact]
    public void Without_listeners_notes_keep_no_copy_of_their_text()
    {
        var store = new MemoryJournalStore();
        var queue = new CommitQueue(1 << 20, store.NoteEncoder);
        var work = Append(queue, 1, "你好");
        Assert.True(work.Notes[0].TextUtf8.IsEmpty);
        Assert.True(queue.TryWrite(work, interactive: false));
        Committer(store).CommitNext(queue);
        Assert.Equal("你好", Assert.Single(store.ReadPage(HistoryFilter.None, 0, 0, 4096).Notes).Text);
    }

    [Fact]
    public void A_failed_write_tells_no_listener_and_refuses_the_notes()
    {
        var store = new MemoryJournalStore { FailNextCommit = new JournalWriteException("disk full", new IOException("ENOSPC")) };
        var listener = new RecordingListener();
        var queue = new CommitQueue(1 << 20, store.NoteEncoder, keepText: true);
        Assert.True(queue.TryWrite(Append(queue, 1, "lost"), interactive: false));
        Committer(store, listener).CommitNext(queue);
        Assert.Empty(listener.Notes);
        Assert.Equal(0, store.NoteCount);
    }

    private sealed class QuestionsOnly : ICommitListener
    {
        public List<string> Told { get; } = [];

        public void OnCommitted(ReadOnlySpan<CommittedNote> notes)
        {
            foreach (var note in notes) Told.Add(note.Text);
        }

        public bool Wants(in PendingNote note) =>
            NetJournal.Server.Bot.QuestionRouter.IsQuestion(Encoding.UTF8.GetString(note.TextUtf8.Span));
    }

    [Fact]
    public void A_listener_that_wants_few_notes_is_told_only_of_those_and_one_that_wants_all_still_gets_all()
    {
        var store = new MemoryJournalStore();
        var questions = new QuestionsOnly();
        var queue = new CommitQueue(1 << 20, store.NoteEncoder, keepText: true);
        var committer = Committer(store, questions);
        Assert.True(queue.TryWrite(Append(queue, 1, "a note", "@BOT how many today?", "another"), interactive: false));
        committer.CommitNext(queue);
        Assert.Equal(["@BOT how many today?"], questions.Told);

        var all = new RecordingListener();
        var both = Committer(store, new QuestionsOnly(), all);
        Assert.True(queue.TryWrite(Append(queue, 4, "x", "@bot y"), interactive: false));
        both.CommitNext(queue);
        Assert.Equal(["x", "@bot y"], all.Notes.Select(n => n.Text));
    }
}
