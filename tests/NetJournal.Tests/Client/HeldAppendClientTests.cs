using System.Diagnostics;
using System.Net;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Tests.Client;

/// <summary>
/// Held appends on the client side (protocol §5.8): every append offers Held; a held datagram is not sent again but
/// waits for its final ack, probed only on a long timer; a server that refuses the flag gets the appends again without
/// it. Against a scripted server behind <see cref="FakeTransport"/> that holds what comes after a missing number.
/// </summary>
public class HeldAppendClientTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 9);

    private static JournalClientOptions Options(int timeoutMs) => new()
    {
        Name = "tester",
        InitialTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        MinTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        MaxTimeout = TimeSpan.FromMilliseconds(Math.Max(timeoutMs, 2_000)),
        MaxDatagramsPerSecond = 0,
        // One note per datagram, so every note is its own flight.
        MaxAppendBytes = 1,
    };

    private static IAsyncEnumerable<string> Notes(int count) => Enumerable.Range(1, count).Select(i => $"n{i}").ToAsyncEnumerable();

    private static string TextOf(AppendRequest a) => Encoding.UTF8.GetString(a.Notes[0].Span);

    private static List<FakeTransport.SentDatagram> SendsOf(FakeTransport transport, string text) =>
        transport.Sent.Where(s => s.Message is AppendRequest a && TextOf(a) == text).ToList();

    /// <summary>
    /// A server that holds every datagram after a missing number and stores them all, in order, once it comes (their
    /// final acks after its own, as the server sends them). <paramref name="drop"/> says which datagrams are lost on
    /// the way; <paramref name="finalAcks"/> whether a held datagram's final ack reaches the client.
    /// </summary>
    private sealed class HoldingServer
    {
        private readonly SortedDictionary<ulong, AppendRequest> _held = [];
        private ulong _settled;

        public HoldingServer(Func<AppendRequest, int, bool> drop, Func<AppendRequest, bool>? finalAcks = null)
        {
            var copies = new Dictionary<string, int>();
            Transport = new FakeTransport(m =>
            {
                if (m is not AppendRequest a) return FakeTransport.Reply.Drop;
                var copy = copies[TextOf(a)] = copies.GetValueOrDefault(TextOf(a)) + 1;
                if (drop(a, copy)) return FakeTransport.Reply.Drop;
                if (a.FirstNumber > _settled + 1)
                {
                    _held[a.FirstNumber] = a;
                    return FakeTransport.Hold(a);
                }
                var reply = Store(a);
                while (_held.Remove(_settled + 1, out var next))
                {
                    var final = Store(next);
                    if (finalAcks?.Invoke(next) ?? true) Transport!.Deliver(final);
                }
                return reply;
            });
        }

        public FakeTransport Transport { get; }

        private FakeTransport.Reply Store(AppendRequest a)
        {
            _settled = Math.Max(_settled, a.FirstNumber + (ulong)a.Notes.Count - 1);
            return Transport.Store(a);
        }
    }

    [Fact]
    public async Task Datagrams_held_behind_a_lost_one_are_not_resent_the_lost_one_is_resent_early_and_all_complete_on_their_final_acks()
    {
        var server = new HoldingServer((a, copy) => TextOf(a) == "n1" && copy == 1);
        // A probe timeout of 3 s (and so a held probe after 5 s): a resend before it can only come from the Held answers.
        await using var client = new JournalClient(Server, server.Transport, Options(timeoutMs: 3_000));

        var clock = Stopwatch.StartNew();
        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Notes(8), outcomes.Add);

        Assert.Equal(8, summary.Stored);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"n{i}"), outcomes.Select(o => o.Text));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (ulong)i), outcomes.Select(o => o.Seq));
        var firsts = SendsOf(server.Transport, "n1");
        Assert.Equal(2, firsts.Count);
        Assert.True(firsts[1].At - firsts[0].At < TimeSpan.FromSeconds(1.5), $"resent after {(firsts[1].At - firsts[0].At).TotalMilliseconds} ms");
        // Held, the later ones went once each: only the lost datagram was sent twice.
        for (var i = 2; i <= 8; i++) Assert.Single(SendsOf(server.Transport, $"n{i}"));
        Assert.Equal(1, summary.Retransmissions);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Every_append_carries_the_accepts_held_flag_on_the_wire()
    {
        var server = new HoldingServer((_, _) => false);
        await using var client = new JournalClient(Server, server.Transport, Options(timeoutMs: 300));

        var summary = await client.WriteAsync(Notes(5));

        Assert.Equal(5, summary.Stored);
        var appends = server.Transport.SentOf<AppendRequest>();
        Assert.Equal(5, appends.Count);
        Assert.All(appends, a => Assert.True(a.AcceptsHeld));
        // The flags byte of the header itself (offset 5), as the client encodes it.
        var head = new byte[64];
        var length = MessageCodec.EncodeAppendRequestHead(1, 1, 1, "tester", 1, head, HeaderFlags.AcceptsHeld);
        Assert.True(length > 6);
        Assert.Equal((byte)HeaderFlags.AcceptsHeld, head[5]);
    }

    [Fact]
    public async Task A_held_datagram_whose_final_ack_is_lost_is_probed_on_the_long_timer_and_not_before()
    {
        // n1 is lost once; n2 is held, and its final ack (sent when n1 comes) is lost: only a probe can complete it.
        var server = new HoldingServer((a, copy) => TextOf(a) == "n1" && copy == 1, finalAcks: a => TextOf(a) != "n2");
        // A probe timeout floor of 150 ms (long enough that a loaded machine answers n2 Held before its own PTO): the held
        // probe waits max(200 ms, 4 × PTO), four probe timeouts.
        await using var client = new JournalClient(Server, server.Transport, Options(timeoutMs: 150));

        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Notes(2), outcomes.Add);

        Assert.Equal(2, summary.Stored);
        Assert.Equal(["n1", "n2"], outcomes.Select(o => o.Text));
        var seconds = SendsOf(server.Transport, "n2");
        Assert.Equal(2, seconds.Count);
        var waited = seconds[1].At - seconds[0].At;
        Assert.True(waited >= TimeSpan.FromMilliseconds(190) && waited < TimeSpan.FromSeconds(3), $"probed after {waited.TotalMilliseconds} ms");
        // The probe is the same datagram: same number, same note, still offering Held.
        var probe = (AppendRequest)seconds[1].Message;
        Assert.Equal(((AppendRequest)seconds[0].Message).FirstNumber, probe.FirstNumber);
        Assert.True(probe.AcceptsHeld);
    }

    [Fact]
    public async Task A_held_datagram_still_held_after_its_probes_keeps_waiting_and_completes_on_its_final_ack()
    {
        var thirdCopy = new TaskCompletionSource<AppendRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var copies = 0;
        var transport = new FakeTransport(m =>
        {
            if (m is not AppendRequest a) return FakeTransport.Reply.Drop;
            // The server keeps holding n1 (its earlier numbers have not come); each copy is answered Held again.
            if (++copies == 3) thirdCopy.TrySetResult(a);
            return FakeTransport.Hold(a);
        });
        await using var client = new JournalClient(Server, transport, Options(timeoutMs: 50));

        var writing = client.WriteAsync(Notes(1));
        // Two probes, at least 200 ms apart; then the final ack comes, as when the gap is filled at last.
        var held = await thirdCopy.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        transport.Deliver(transport.Store(held));
        var summary = await writing.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(1, summary.Stored);
        var times = transport.Sent.Select(s => s.At).ToList();
        Assert.Equal(3, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(190), $"first probe after {(times[1] - times[0]).TotalMilliseconds} ms");
        Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(190), $"second probe after {(times[2] - times[1]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_server_that_refuses_the_flag_gets_the_appends_again_without_it_and_requests_are_not_failed()
    {
        FakeTransport transport = null!;
        CountRequest? waiting = null;
        var countSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        transport = new FakeTransport(m =>
        {
            switch (m)
            {
                case AppendRequest { AcceptsHeld: true }:
                    return FakeTransport.UnknownMessage;
                case AppendRequest a:
                    // The count is answered only now, so it was open while the flag was refused.
                    if (waiting is { } open) transport.Deliver(FakeTransport.Reply.With(new CountReply(open.RequestId, 5, 0, 5, 5)));
                    waiting = null;
                    return transport.Store(a);
                case CountRequest c:
                    waiting = c;
                    countSent.TrySetResult();
                    return FakeTransport.Reply.Drop;
                default:
                    return FakeTransport.Reply.Drop;
            }
        });
        // A probe timeout of 30 s: the resend without the flag must come from the refusal, not from a timeout.
        await using var client = new JournalClient(Server, transport, Options(timeoutMs: 30_000));

        var clock = Stopwatch.StartNew();
        var counting = client.CountAsync(HistoryFilter.None, cancellationToken: TestContext.Current.CancellationToken);
        await countSent.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Notes(5), outcomes.Add);
        var count = await counting;

        Assert.Equal(5, summary.Stored);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"n{i}"), outcomes.Select(o => o.Text));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalMilliseconds} ms");
        var appends = transport.SentOf<AppendRequest>().ToList();
        Assert.Contains(appends, a => a.AcceptsHeld);
        // Once refused, the flag is never offered again, and every note went through without it.
        var firstPlain = appends.FindIndex(a => !a.AcceptsHeld);
        Assert.True(firstPlain > 0);
        Assert.All(appends.Skip(firstPlain), a => Assert.False(a.AcceptsHeld));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"n{i}"), appends.Where(a => !a.AcceptsHeld).Select(TextOf).Distinct().Order());
        // The refusal of the flag was not taken for a refusal of the open request.
        Assert.Equal(5UL, count.TotalNotes);
    }
}
