using System.Diagnostics;
using System.Net;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Tests.Client;

/// <summary>
/// Loss detection of <see cref="JournalClient"/> (RFC 9002: packet and time thresholds, a probe timeout backed off
/// only in silence) and giving up only without progress, against a scripted server behind <see cref="FakeTransport"/>.
/// Where a test shows that loss was found early, the probe timeout is made far longer than the test may take.
/// </summary>
public class LossDetectionTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 9);

    private static JournalClientOptions Options(int initialMs, int minMs, int maxMs = 4_000, int giveUpMs = 10_000) => new()
    {
        Name = "tester",
        InitialTimeout = TimeSpan.FromMilliseconds(initialMs),
        MinTimeout = TimeSpan.FromMilliseconds(minMs),
        MaxTimeout = TimeSpan.FromMilliseconds(maxMs),
        GiveUpAfter = TimeSpan.FromMilliseconds(giveUpMs),
        MaxDatagramsPerSecond = 0,
        // One note per datagram, so every note is its own flight.
        MaxAppendBytes = 1,
    };

    private static IAsyncEnumerable<string> Notes(int count) => Enumerable.Range(1, count).Select(i => $"n{i}").ToAsyncEnumerable();

    private static string TextOf(AppendRequest a) => Encoding.UTF8.GetString(a.Notes[0].Span);

    [Fact]
    public async Task A_datagram_lost_behind_later_answered_ones_is_resent_long_before_the_probe_timeout()
    {
        // As the real server does: while the first note is missing, later ones are deferred; once it comes, all is stored.
        var lostOnce = false;
        ulong? missing = null;
        FakeTransport transport = null!;
        transport = new FakeTransport(m =>
        {
            if (m is not AppendRequest a) return FakeTransport.Reply.Drop;
            if (TextOf(a) == "n1" && !lostOnce)
            {
                lostOnce = true;
                missing = a.FirstNumber;
                return FakeTransport.Reply.Drop;
            }
            if (TextOf(a) == "n1") missing = null;
            return missing is not null ? FakeTransport.Defer(a) : transport.Store(a);
        });
        // A probe timeout of 3 s: a resend before it can only come from the later answers.
        await using var client = new JournalClient(Server, transport, Options(initialMs: 3_000, minMs: 3_000));

        var clock = Stopwatch.StartNew();
        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Notes(8), outcomes.Add);

        Assert.Equal(8, summary.Stored);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"n{i}"), outcomes.Select(o => o.Text));
        var sent = transport.Sent.Where(s => s.Message is AppendRequest).ToList();
        var firsts = sent.Where(s => TextOf((AppendRequest)s.Message) == "n1").ToList();
        Assert.Equal(2, firsts.Count);
        Assert.True(firsts[1].At - firsts[0].At < TimeSpan.FromSeconds(1.5), $"resent after {(firsts[1].At - firsts[0].At).TotalMilliseconds} ms");
        // At least three later datagrams had left (and were answered Deferred) before the resend.
        Assert.True(sent.IndexOf(firsts[1]) >= 4);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_datagram_lost_again_and_again_while_others_are_answered_is_resent_without_backoff()
    {
        var drops = 0;
        FakeTransport transport = null!;
        transport = new FakeTransport(m =>
        {
            if (m is not AppendRequest a) return FakeTransport.Reply.Drop;
            if (TextOf(a) == "n1" && drops < 3)
            {
                drops++;
                return FakeTransport.Reply.Drop;
            }
            return transport.Store(a);
        });
        // Backed off from 1 s, three probes would take 1 + 2 + 4 s.
        var options = Options(initialMs: 1_000, minMs: 1_000);
        options.Window = 4;
        await using var client = new JournalClient(Server, transport, options);

        var summary = await client.WriteAsync(Notes(60));

        Assert.Equal(60, summary.Stored);
        var firsts = transport.Sent.Where(s => s.Message is AppendRequest a && TextOf(a) == "n1").Select(s => s.At).ToList();
        // Four at least: on a busy machine a late answer can make one more look lost (harmless, as in QUIC).
        Assert.True(firsts.Count >= 4);
        Assert.True(firsts[3] - firsts[0] < TimeSpan.FromSeconds(1.5), $"three resends took {(firsts[3] - firsts[0]).TotalMilliseconds} ms");
        Assert.True(summary.Retransmissions >= 3);
    }

    [Fact]
    public async Task A_lost_request_is_probed_on_a_timeout_taken_from_the_measured_round_trip_with_a_floor_of_milliseconds()
    {
        var counts = 0;
        var transport = new FakeTransport(m => m switch
        {
            CountRequest c when ++counts == 3 => FakeTransport.Reply.Drop,
            CountRequest c => FakeTransport.Reply.With(new CountReply(c.RequestId, 1, 0, 1, 1)),
            _ => FakeTransport.Reply.Drop,
        });
        // The defaults but for the timeout: a floor of milliseconds, not 250.
        await using var client = new JournalClient(Server, transport, new JournalClientOptions { Name = "tester", MaxDatagramsPerSecond = 0 });

        await client.CountAsync(HistoryFilter.None);
        await client.CountAsync(HistoryFilter.None);
        await client.CountAsync(HistoryFilter.None);

        var third = transport.SentOf<CountRequest>().Select(c => c.RequestId).Distinct().ElementAt(2);
        var times = transport.Sent.Where(s => s.Message is CountRequest c && c.RequestId == third).Select(s => s.At).ToList();
        Assert.True(times.Count >= 2);
        // No wall-clock bound here (a loaded machine stretches every round trip): the floor is milliseconds, not the former
        // 250, and the timeout follows the samples; RttEstimatorTests pins the arithmetic without clocks.
        Assert.True(new JournalClientOptions().MinTimeout <= TimeSpan.FromMilliseconds(10));
        Assert.True(client.Rtt.Smoothed > TimeSpan.Zero);
        Assert.True(client.Rtt.ProbeTimeout >= client.Rtt.Smoothed);
        Assert.True(client.Retransmissions >= 1);
    }

    [Fact]
    public async Task A_history_read_with_several_lost_pages_completes_in_order_without_waiting_for_probe_timeouts()
    {
        const ulong Total = 4_000;
        static Note NoteAt(ulong seq) => new(seq, 1_700_000_000_000 + (long)seq, "tester", "127.0.0.1:5000", $"note {seq}");
        var lost = new HashSet<ulong>();
        var transport = new FakeTransport(m =>
        {
            switch (m)
            {
                case CountRequest c:
                    return FakeTransport.Reply.With(new CountReply(c.RequestId, Total, 0, Total, Total));
                case HistoryRequest h:
                    // The first request for every fifth page is lost, except near the end, where no later page would show it.
                    var page = h.AfterSeq / 100;
                    if (page % 5 == 2 && h.AfterSeq < Total - 1_000 && lost.Add(h.AfterSeq)) return FakeTransport.Reply.Drop;
                    var last = Math.Min(h.UntilSeq, h.AfterSeq + 100);
                    var notes = new List<Note>();
                    for (var seq = h.AfterSeq + 1; seq <= last; seq++) notes.Add(NoteAt(seq));
                    return FakeTransport.Reply.With(new HistoryPage(h.RequestId, last, last >= h.UntilSeq, notes));
                default:
                    return FakeTransport.Reply.Drop;
            }
        });
        await using var client = new JournalClient(Server, transport, Options(initialMs: 30_000, minMs: 30_000, maxMs: 30_000));

        var clock = Stopwatch.StartNew();
        var seqs = new List<ulong>();
        await foreach (var note in client.HistoryAsync(HistoryFilter.None)) seqs.Add(note.Seq);

        Assert.Equal(Enumerable.Range(1, (int)Total).Select(i => (ulong)i), seqs);
        Assert.True(lost.Count >= 5, $"only {lost.Count} pages lost");
        // A page answered late on a busy machine may be sent again too (as QUIC would): harmless, and never fewer.
        Assert.True(client.Retransmissions >= lost.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalMilliseconds} ms: a probe timeout was waited out");
    }

    [Fact]
    public async Task A_history_read_the_server_stops_answering_says_which_seqs_it_could_not_fetch()
    {
        static Note NoteAt(ulong seq) => new(seq, 1_700_000_000_000 + (long)seq, "tester", "127.0.0.1:5000", $"note {seq}");
        var transport = new FakeTransport(m => m switch
        {
            CountRequest c => FakeTransport.Reply.With(new CountReply(c.RequestId, 1_000, 0, 1_000, 1_000)),
            // The server answers the first segment, then falls silent.
            HistoryRequest { AfterSeq: 0 } h => FakeTransport.Reply.With(new HistoryPage(h.RequestId, 256, true, [NoteAt(1)])),
            _ => FakeTransport.Reply.Drop,
        });
        var options = Options(initialMs: 20, minMs: 20, maxMs: 80, giveUpMs: 400);
        options.HistoryParallelism = 1;
        await using var client = new JournalClient(Server, transport, options);

        var seqs = new List<ulong>();
        var error = await Assert.ThrowsAsync<JournalUnavailableException>(async () =>
        {
            await foreach (var note in client.HistoryAsync(HistoryFilter.None)) seqs.Add(note.Seq);
        });

        Assert.Equal([1UL], seqs);
        Assert.Contains("notes #257 to #1,000 could not be fetched", error.Message);
        Assert.Contains("has not answered for 0.4 s", error.Message);
    }

    [Fact]
    public async Task A_write_that_keeps_making_progress_goes_on_past_the_give_up_time()
    {
        // Every first transmission is lost and one datagram is in flight at a time: each note waits out a probe timeout
        // of 100 ms, so six notes take longer than the 300 ms allowed, but the server answers every 100 ms or so.
        var seen = new HashSet<ulong>();
        FakeTransport transport = null!;
        transport = new FakeTransport(m => m is AppendRequest a && !seen.Add(a.FirstNumber) ? transport.Store(a) : FakeTransport.Reply.Drop);
        var options = Options(initialMs: 100, minMs: 100, maxMs: 100, giveUpMs: 300);
        options.Window = 1;
        await using var client = new JournalClient(Server, transport, options);

        var clock = Stopwatch.StartNew();
        var summary = await client.WriteAsync(Notes(6));

        Assert.Equal(6, summary.Stored);
        Assert.Equal(0, summary.Unanswered);
        Assert.True(clock.Elapsed > client.Options.GiveUpAfter, $"took only {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_write_gives_up_only_after_the_server_has_been_silent_for_the_time_allowed()
    {
        // The first three notes are stored, then the server falls silent (by number, not by datagram: a resend of an
        // early note on a loaded machine must not move the silence).
        var clock = Stopwatch.StartNew();
        var lastAnswer = TimeSpan.Zero;
        FakeTransport transport = null!;
        transport = new FakeTransport(m =>
        {
            if (m is not AppendRequest a || a.FirstNumber > 3) return FakeTransport.Reply.Drop;
            lastAnswer = clock.Elapsed;
            return transport.Store(a);
        });
        var options = Options(initialMs: 20, minMs: 20, maxMs: 80, giveUpMs: 1500);
        options.Window = 1;
        await using var client = new JournalClient(Server, transport, options);

        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Notes(5), outcomes.Add);
        var gaveUp = clock.Elapsed;

        Assert.Equal(3, summary.Stored);
        Assert.Equal(2, summary.Unanswered);
        Assert.Equal([true, true, true, false, false], outcomes.Select(o => o.IsStored));
        Assert.True(gaveUp - lastAnswer >= client.Options.GiveUpAfter, $"gave up {(gaveUp - lastAnswer).TotalMilliseconds} ms after the last answer");
        // The silence was probed, not waited out in one piece.
        Assert.True(transport.SentOf<AppendRequest>().Count >= 5);
        Assert.Contains("has not answered for 1.5 s", client.Unavailable().Message);
    }
}
