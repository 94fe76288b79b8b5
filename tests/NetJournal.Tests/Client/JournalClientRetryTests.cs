using System.Diagnostics;
using System.Net;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Tests.Client;

/// <summary>
/// Retransmission, deferral, backoff and give-up of <see cref="JournalClient"/>, against a scripted server behind
/// <see cref="FakeTransport"/>: no sockets, and timeouts of milliseconds so that no test takes much over a second.
/// </summary>
public class JournalClientRetryTests
{
    // Never opened: it only names the server in messages, and loopback picks the loopback defaults.
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 9);

    // Timers run on a coarse tick clock (4 ms steps on Linux), so a delay may end a few milliseconds early by a stopwatch.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(5);

    // Where nothing is timed, the first timeout is long enough that a loaded machine does not retransmit by itself.
    private static JournalClientOptions Fast(int initialMs = 200, int maxMs = 800, int giveUpMs = 5_000) => new()
    {
        Name = "tester",
        InitialTimeout = TimeSpan.FromMilliseconds(initialMs),
        MinTimeout = TimeSpan.FromMilliseconds(initialMs),
        MaxTimeout = TimeSpan.FromMilliseconds(maxMs),
        GiveUpAfter = TimeSpan.FromMilliseconds(giveUpMs),
        MaxDatagramsPerSecond = 0,
    };

    private static async IAsyncEnumerable<string> Lines(params string[] lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }

    [Fact]
    public async Task A_dropped_append_is_sent_again_with_the_same_numbers_and_then_acknowledged()
    {
        var appends = 0;
        FakeTransport transport = null!;
        transport = new FakeTransport(m => m is AppendRequest a && ++appends > 1 ? transport.Store(a) : FakeTransport.Reply.Drop);
        await using var client = new JournalClient(Server, transport, Fast());

        var outcome = await client.WriteAsync("first note");

        Assert.True(outcome.IsStored);
        Assert.Equal(1UL, outcome.Seq);
        var sent = transport.SentOf<AppendRequest>();
        Assert.Equal(2, sent.Count);
        // The same numbers: had the first copy arrived after all, the server would store the note once.
        Assert.Equal(sent[0].FirstNumber, sent[1].FirstNumber);
        Assert.Equal("first note", Encoding.UTF8.GetString(sent[1].Notes[0].Span));
        Assert.Equal(1, client.Retransmissions);
        var times = transport.Sent.Select(s => s.At).ToList();
        Assert.True(times[1] - times[0] >= client.Options.InitialTimeout - Tolerance, $"resent after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_duplicated_reply_is_harmless_and_a_late_copy_never_answers_a_later_request()
    {
        var counts = 0;
        CountReply? firstReply = null;
        FakeTransport transport = null!;
        transport = new FakeTransport(m =>
        {
            switch (m)
            {
                case AppendRequest a:
                    var stored = transport.Store(a);
                    return stored with { Answers = [.. stored.Answers, .. stored.Answers] };
                case CountRequest c when ++counts == 1:
                    firstReply = new CountReply(c.RequestId, Matched: 1, StartAfterSeq: 0, EndSeq: 1, TotalNotes: 1);
                    return FakeTransport.Reply.With(firstReply, firstReply);
                case CountRequest c:
                    // A third copy of the first reply, late, just ahead of this request's own reply.
                    return FakeTransport.Reply.With(firstReply!, new CountReply(c.RequestId, Matched: 2, StartAfterSeq: 0, EndSeq: 2, TotalNotes: 2));
                default:
                    return FakeTransport.Reply.Drop;
            }
        });
        // One note per datagram, so every note's ack comes twice.
        var options = Fast();
        options.MaxAppendBytes = 1;
        await using var client = new JournalClient(Server, transport, options);

        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Lines("a", "b", "c", "d", "e"), outcomes.Add);
        var first = await client.CountAsync(HistoryFilter.None);
        var second = await client.CountAsync(HistoryFilter.None);

        Assert.Equal(5, summary.Stored);
        Assert.Equal(0, summary.Refused + summary.Unanswered);
        Assert.Equal([0L, 1, 2, 3, 4], outcomes.Select(o => o.Index));
        Assert.Equal([1UL, 2, 3, 4, 5], outcomes.Select(o => o.Seq));
        Assert.Equal(1UL, first.Matched);
        Assert.Equal(2UL, second.Matched);
    }

    [Fact]
    public async Task Deferred_notes_are_sent_again_as_soon_as_the_earlier_lost_datagram_is_answered()
    {
        var seen = new List<ulong>();
        FakeTransport transport = null!;
        transport = new FakeTransport(m =>
        {
            if (m is not AppendRequest a) return FakeTransport.Reply.Drop;
            var again = seen.Contains(a.FirstNumber);
            seen.Add(a.FirstNumber);
            if (again) return transport.Store(a);
            // The first datagram is lost; the second reaches a server that waits for the first.
            return seen.Count == 1 ? FakeTransport.Reply.Drop : FakeTransport.Defer(a);
        });
        // One note per datagram; a safety-net timer far longer than the first retransmission.
        var options = Fast(maxMs: 5_000, giveUpMs: 10_000);
        options.MaxAppendBytes = 1;
        await using var client = new JournalClient(Server, transport, options);

        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Lines("earlier", "later"), outcomes.Add);

        Assert.Equal(2, summary.Stored);
        Assert.Equal(["earlier", "later"], outcomes.Select(o => o.Text));
        Assert.Equal([1UL, 2], outcomes.Select(o => o.Seq));
        var sent = transport.SentOf<AppendRequest>();
        var earlier = sent[0].FirstNumber;
        var later = sent[1].FirstNumber;
        Assert.Equal([earlier, later, earlier, later], sent.Select(a => a.FirstNumber));
        // The resend tells the server the earlier note is settled, so it need not wait for it.
        Assert.Equal(later, sent[3].Base);
        var times = transport.Sent.Select(s => s.At).ToList();
        Assert.True(times[3] - times[2] < TimeSpan.FromSeconds(1), $"the deferred datagram waited {(times[3] - times[2]).TotalMilliseconds} ms for its own timer");
    }

    [Fact]
    public async Task The_retransmission_timeout_doubles_on_every_retry_up_to_the_max_until_the_client_gives_up()
    {
        var transport = new FakeTransport(_ => FakeTransport.Reply.Drop);
        await using var client = new JournalClient(Server, transport, Fast(initialMs: 20, maxMs: 80, giveUpMs: 1_000));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<JournalUnavailableException>(() => client.CountAsync(HistoryFilter.None));

        Assert.True(clock.Elapsed >= client.Options.GiveUpAfter);
        Assert.Contains("has not answered for 1 s", error.Message);
        var sent = transport.SentOf<CountRequest>();
        Assert.All(sent, r => Assert.Equal(sent[0].RequestId, r.RequestId));
        var times = transport.Sent.Select(s => s.At).ToList();
        for (var i = 1; i < times.Count; i++)
        {
            // 20, 40, 80, then 80 ms: doubled from the initial timeout, capped at the max.
            var expected = TimeSpan.FromMilliseconds(Math.Min(80, 20 << (i - 1)));
            Assert.True(times[i] - times[i - 1] >= expected - Tolerance, $"retry {i} after {(times[i] - times[i - 1]).TotalMilliseconds} ms, not {expected.TotalMilliseconds}");
        }
        // Doubling without the cap (160, 320, 640 ms, ...) would have sent at most 6 datagrams in a second; capped, about 15.
        Assert.True(times.Count >= 9, $"only {times.Count} datagrams in {client.Options.GiveUpAfter.TotalMilliseconds} ms");
        Assert.Equal(times.Count - 1, client.Retransmissions);
    }

    [Fact]
    public async Task A_note_never_answered_is_reported_unanswered_once_the_client_gives_up()
    {
        var transport = new FakeTransport(_ => FakeTransport.Reply.Drop);
        await using var client = new JournalClient(Server, transport, Fast(initialMs: 10, maxMs: 40, giveUpMs: 300));

        var clock = Stopwatch.StartNew();
        var outcome = await client.WriteAsync("into the void");

        Assert.True(outcome.Unanswered);
        Assert.True(clock.Elapsed >= client.Options.GiveUpAfter);
        Assert.True(transport.SentOf<AppendRequest>().Count >= 3, $"{transport.SentOf<AppendRequest>().Count} sent in {clock.Elapsed.TotalMilliseconds} ms");
        Assert.Contains("has not answered for 0.3 s", client.Unavailable().Message);
    }

    [Fact]
    public async Task A_port_reported_closed_when_sending_makes_the_client_say_so_at_once()
    {
        var transport = new FakeTransport(_ => FakeTransport.Reply.Refused);
        await using var client = new JournalClient(Server, transport, Fast(initialMs: 10, maxMs: 40, giveUpMs: 5_000));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<JournalUnavailableException>(() => client.CountAsync(HistoryFilter.None));

        Assert.Contains("the port is closed", error.Message);
        // Nothing listens there and nothing ever answered: no point in waiting out the timeout.
        Assert.Single(transport.SentOf<CountRequest>());
        Assert.True(clock.Elapsed < client.Options.GiveUpAfter / 2, $"took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_port_reported_closed_on_the_receive_side_makes_the_client_say_so_at_once()
    {
        var transport = new FakeTransport(_ => FakeTransport.Reply.RefusedLater);
        // A first timeout far longer than the test: only the report can end the wait early.
        await using var client = new JournalClient(Server, transport, Fast(initialMs: 2_000, maxMs: 4_000, giveUpMs: 10_000));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<JournalUnavailableException>(() => client.CountAsync(HistoryFilter.None));

        Assert.Contains("the port is closed", error.Message);
        Assert.Single(transport.SentOf<CountRequest>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_write_to_a_closed_port_reports_its_notes_unanswered_at_once()
    {
        var transport = new FakeTransport(_ => FakeTransport.Reply.RefusedLater);
        await using var client = new JournalClient(Server, transport, Fast(initialMs: 2_000, maxMs: 4_000, giveUpMs: 10_000));

        var clock = Stopwatch.StartNew();
        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Lines("a", "b", "c"), outcomes.Add);

        Assert.Equal(3, summary.Unanswered);
        Assert.All(outcomes, o => Assert.True(o.Unanswered));
        Assert.Contains("the port is closed", client.Unavailable().Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_address_validation_challenge_is_answered_with_its_token_which_later_requests_carry_too()
    {
        byte[] token = [0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18];
        var transport = new FakeTransport(m => m switch
        {
            // A page can be large, so the server wants proof of the client's address first; a count is small.
            HistoryRequest h when h.Token.IsEmpty => FakeTransport.Reply.With(new RetryChallenge(h.RequestId, token)),
            HistoryRequest h => FakeTransport.Reply.With(new HistoryPage(h.RequestId, h.UntilSeq, true, [])),
            ClientsRequest c when c.Token.IsEmpty => FakeTransport.Reply.With(new RetryChallenge(c.RequestId, token)),
            ClientsRequest c => FakeTransport.Reply.With(new ClientsPage(c.RequestId, 0, true, [])),
            _ => FakeTransport.Reply.Drop,
        });
        // No datagram is lost here: a first timeout of a second keeps a slow machine from retransmitting.
        await using var client = new JournalClient(Server, transport, Fast(initialMs: 1_000, maxMs: 2_000));

        var first = await client.PageAsync(HistoryFilter.None, afterSeq: 0, untilSeq: 3);
        var second = await client.PageAsync(HistoryFilter.None, afterSeq: 3, untilSeq: 6);
        var clients = await client.ClientsAsync();

        Assert.True(first.Complete);
        Assert.Equal(6UL, second.NextAfterSeq);
        Assert.Empty(clients);
        var pages = transport.SentOf<HistoryRequest>();
        Assert.Equal(3, pages.Count);
        Assert.True(pages[0].Token.IsEmpty);
        Assert.Equal(token, pages[1].Token.ToArray());
        Assert.Equal(pages[0].RequestId, pages[1].RequestId);
        // Once proven, the address stays proven: the next request carries the token from the start.
        Assert.Equal(token, pages[2].Token.ToArray());
        Assert.Equal(token, Assert.Single(transport.SentOf<ClientsRequest>()).Token.ToArray());
        // Answering a challenge is not a retransmission.
        Assert.Equal(0, client.Retransmissions);
    }

    [Fact]
    public async Task A_history_read_whose_page_is_lost_asks_for_it_again_from_the_same_cursor_and_gets_every_note()
    {
        static Note NoteAt(ulong seq) => new(seq, 1_700_000_000_000 + (long)seq, "tester", "127.0.0.1:5000", $"note {seq}");
        var lostOnce = false;
        var transport = new FakeTransport(m =>
        {
            switch (m)
            {
                case CountRequest c:
                    return FakeTransport.Reply.With(new CountReply(c.RequestId, Matched: 4, StartAfterSeq: 0, EndSeq: 4, TotalNotes: 4));
                case HistoryRequest { AfterSeq: 0 } h:
                    return FakeTransport.Reply.With(new HistoryPage(h.RequestId, 2, false, [NoteAt(1), NoteAt(2)]));
                case HistoryRequest { AfterSeq: 2 } when !lostOnce:
                    lostOnce = true;
                    return FakeTransport.Reply.Drop;
                case HistoryRequest { AfterSeq: 2 } h:
                    return FakeTransport.Reply.With(new HistoryPage(h.RequestId, 4, true, [NoteAt(3), NoteAt(4)]));
                default:
                    return FakeTransport.Reply.Drop;
            }
        });
        await using var client = new JournalClient(Server, transport, Fast());

        var notes = new List<Note>();
        await foreach (var note in client.HistoryAsync(HistoryFilter.None)) notes.Add(note);

        Assert.Equal([1UL, 2, 3, 4], notes.Select(n => n.Seq));
        Assert.Equal(["note 1", "note 2", "note 3", "note 4"], notes.Select(n => n.Text));
        var requests = transport.SentOf<HistoryRequest>();
        Assert.Equal([0UL, 2, 2], requests.Select(r => r.AfterSeq));
        Assert.All(requests, r => Assert.Equal(4UL, r.UntilSeq));
        Assert.Equal(1, client.Retransmissions);
    }

    [Fact]
    public async Task Disposing_the_client_disposes_its_transport()
    {
        var transport = new FakeTransport(_ => FakeTransport.Reply.Drop);
        var client = new JournalClient(Server, transport, Fast());

        await client.DisposeAsync();

        Assert.True(transport.Disposed);
    }
}
