using System.Net;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Tests.Client;

/// <summary>
/// <see cref="JournalClient.FollowAsync"/> against a scripted server behind <see cref="FakeTransport"/>: the catch-up
/// from history and the switch to pushes (each note once, in seq order), a lost push found by its seq range and fetched
/// by history before later notes, a restarted server said once, and a server that predates following said in words.
/// </summary>
public sealed class FollowTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 9);

    /// <summary>A journal the script answers counts, history pages and follows from; pushes are sent by the test.</summary>
    private sealed class ScriptedJournal
    {
        private readonly Lock _gate = new();
        private readonly List<Note> _notes = [];

        public ScriptedJournal(int notes)
        {
            for (var i = 1; i <= notes; i++) Add();
            Transport = new FakeTransport(Answer);
        }

        public FakeTransport Transport { get; }
        public ulong Epoch { get; set; } = 1;
        public uint LeaseMs { get; set; } = 30_000;

        /// <summary>Where the next Follow's answer says pushes start; null: the newest seq.</summary>
        public ulong Subscription { get; private set; }
        public int Follows { get; private set; }

        /// <summary>Called after each Follow is answered (its answer reaches the client after what this delivers).</summary>
        public Action? OnFollow { get; set; }

        public Note Add()
        {
            lock (_gate)
            {
                var seq = (ulong)_notes.Count + 1;
                var note = new Note(seq, 1_764_489_600_000 + (long)seq, seq % 2 == 0 ? "bob" : "ana", "127.0.0.1:4000", $"note {seq}");
                _notes.Add(note);
                return note;
            }
        }

        private ulong Newest
        {
            get { lock (_gate) return (ulong)_notes.Count; }
        }

        /// <summary>Pushes the notes <paramref name="from"/>..<paramref name="to"/> as one Notify covering (after, to].</summary>
        public void Push(ulong after, ulong from, ulong to)
        {
            List<Note> notes;
            lock (_gate) notes = _notes.Where(n => n.Seq >= from && n.Seq <= to).ToList();
            Transport.Deliver(FakeTransport.Reply.With(new Notify(0, Subscription, Epoch, after, to, LeaseMs, notes)));
        }

        private FakeTransport.Reply Answer(JournalMessage message)
        {
            switch (message)
            {
                case CountRequest c:
                    var newest = Newest;
                    var start = c.LastN == 0 || c.LastN >= newest ? 0 : newest - c.LastN;
                    return FakeTransport.Reply.With(new CountReply(c.RequestId, newest, start, newest, newest));
                case HistoryRequest h:
                    List<Note> page;
                    lock (_gate) page = _notes.Where(n => n.Seq > h.AfterSeq && (h.UntilSeq == 0 || n.Seq <= h.UntilSeq)).ToList();
                    return FakeTransport.Reply.With(new HistoryPage(h.RequestId, h.UntilSeq, true, page));
                case FollowRequest f:
                    Subscription = f.Subscription;
                    Follows++;
                    var at = Math.Max(f.AfterSeq, Newest);
                    var answer = FakeTransport.Reply.With(new Notify(f.RequestId, f.Subscription, Epoch, at, at, LeaseMs, []));
                    OnFollow?.Invoke();
                    return answer;
                default:
                    return FakeTransport.Reply.Drop;
            }
        }
    }

    private static JournalClientOptions Options() => new()
    {
        Name = "follower",
        InitialTimeout = TimeSpan.FromMilliseconds(200),
        MinTimeout = TimeSpan.FromMilliseconds(200),
        MaxTimeout = TimeSpan.FromMilliseconds(400),
        GiveUpAfter = TimeSpan.FromSeconds(5),
        MaxDatagramsPerSecond = 0,
    };

    /// <summary>Reads events until <paramref name="until"/> says stop (or 10 s pass), then ends the follow.</summary>
    private static async Task<List<FollowEvent>> ReadAsync(JournalClient client, FollowStart start, Func<List<FollowEvent>, bool> until, Action<List<FollowEvent>>? onEvent = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<FollowEvent>();
        try
        {
            await foreach (var e in client.FollowAsync(HistoryFilter.None, start, timeout.Token))
            {
                events.Add(e);
                onEvent?.Invoke(events);
                if (until(events)) break;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the follow did not get there in 10 s; it had {string.Join(", ", events.Select(e => $"{e.Kind} #{e.Seq}"))}");
        }
        return events;
    }

    private static ulong[] Seqs(IEnumerable<FollowEvent> events) => events.Where(e => e.Kind == FollowEventKind.Note).Select(e => e.Seq).ToArray();

    [Fact]
    public async Task Catch_up_then_live_hands_out_each_note_once_in_seq_order_where_history_and_a_push_overlap()
    {
        var journal = new ScriptedJournal(notes: 5);
        await using var client = new JournalClient(Server, journal.Transport, Options());

        var events = await ReadAsync(client, FollowStart.After(2), e => Seqs(e).LastOrDefault() == 7, e =>
        {
            if (e.Count != 1) return;
            // Pushed while the catch-up was read: note 5 comes by both ways, 6 and 7 only pushed.
            journal.Add();
            journal.Add();
            journal.Push(after: 4, from: 5, to: 7);
        });

        Assert.Equal([3UL, 4, 5, 6, 7], Seqs(events));
        var follow = Assert.Single(journal.Transport.SentOf<FollowRequest>());
        Assert.Equal(2UL, follow.AfterSeq);
        // Registered before history was read: the history asked covers exactly (2, 5].
        var history = journal.Transport.SentOf<HistoryRequest>();
        Assert.Equal(2UL, history.Min(h => h.AfterSeq));
        Assert.Equal(5UL, history.Max(h => h.UntilSeq));
        Assert.True(journal.Transport.Sent.ToList().FindIndex(s => s.Message is FollowRequest)
            < journal.Transport.Sent.ToList().FindIndex(s => s.Message is HistoryRequest));
    }

    [Fact]
    public async Task A_lost_push_is_seen_by_its_seq_range_and_fetched_by_history_before_later_notes()
    {
        var journal = new ScriptedJournal(notes: 0);
        journal.OnFollow = () =>
        {
            if (journal.Follows != 1) return;
            for (var i = 0; i < 5; i++) journal.Add();
            journal.Push(after: 0, from: 1, to: 2);
            // The push of note 3, covering (2, 3], is lost on the way.
            journal.Push(after: 3, from: 4, to: 5);
        };
        await using var client = new JournalClient(Server, journal.Transport, Options());

        var events = await ReadAsync(client, FollowStart.Now, e => Seqs(e).LastOrDefault() == 5);

        Assert.Equal([1UL, 2, 3, 4, 5], Seqs(events));
        var fetched = Assert.Single(journal.Transport.SentOf<HistoryRequest>().Select(h => (h.AfterSeq, h.UntilSeq)).Distinct());
        Assert.Equal((2UL, 3UL), fetched);
    }

    [Fact]
    public async Task A_restarted_server_is_said_once_and_the_follow_resumes_after_the_last_seq_with_nothing_missed_or_doubled()
    {
        var journal = new ScriptedJournal(notes: 2) { LeaseMs = 900 };
        journal.OnFollow = () =>
        {
            if (journal.Follows != 1) return;
            journal.Add();
            journal.Push(after: 2, from: 3, to: 3);
            // The server restarts: a new epoch, and it knows no follower, so notes 4 and 5 are not pushed.
            journal.Epoch = 2;
            journal.Add();
            journal.Add();
        };
        await using var client = new JournalClient(Server, journal.Transport, Options());

        var events = await ReadAsync(client, FollowStart.Last(1), e => Seqs(e).LastOrDefault() == 5);

        Assert.Equal([2UL, 3, 4, 5], Seqs(events));
        var restarted = Assert.Single(events, e => e.Kind == FollowEventKind.Restarted);
        Assert.Equal(3UL, restarted.Seq);
        Assert.DoesNotContain(events, e => e.Kind == FollowEventKind.NotAnswering);
        // The renewal carried the last seq handed out, so the restarted server registered the follow from there.
        Assert.Equal(3UL, journal.Transport.SentOf<FollowRequest>()[1].AfterSeq);
    }

    [Fact]
    public async Task A_server_that_predates_following_is_said_in_words()
    {
        var transport = new FakeTransport(m => m switch
        {
            CountRequest c => FakeTransport.Reply.With(new CountReply(c.RequestId, 0, 0, 0, 0)),
            FollowRequest => FakeTransport.UnknownMessage,
            _ => FakeTransport.Reply.Drop,
        });
        await using var client = new JournalClient(Server, transport, Options());

        var e = await Assert.ThrowsAsync<JournalRequestException>(async () =>
        {
            await foreach (var _ in client.FollowAsync(HistoryFilter.None)) { }
        });

        Assert.Equal(ErrorCode.UnknownMessage, e.Code);
        Assert.Contains("does not take follows", e.Message);
    }
}
