using System.Net;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Tests.Client;

/// <summary>
/// StoreUnavailable (22) is "not yet" to a writer (docs/postgresql.md): the note stays unsettled and goes again, backed
/// off, until it is stored or a Duplicate, or a timeout after the first such answer passes. Against a scripted server
/// behind <see cref="FakeTransport"/> whose database is away.
/// </summary>
public class StoreUnavailableClientTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 9);

    private static JournalClientOptions Options(TimeSpan giveUpAfter, int window = 32, int timeoutMs = 20) => new()
    {
        Name = "tester",
        InitialTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        MinTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        MaxTimeout = TimeSpan.FromMilliseconds(10 * timeoutMs),
        MaxDatagramsPerSecond = 0,
        GiveUpAfter = giveUpAfter,
        Window = window,
        // One note per datagram, so every note is its own flight.
        MaxAppendBytes = 1,
    };

    private static IAsyncEnumerable<string> Notes(int count) => Enumerable.Range(1, count).Select(i => $"n{i}").ToAsyncEnumerable();

    private static string TextOf(AppendRequest a) => Encoding.UTF8.GetString(a.Notes[0].Span);

    private static int SendsOf(FakeTransport transport, string text) => transport.SentOf<AppendRequest>().Count(a => TextOf(a) == text);

    [Fact]
    public async Task Notes_answered_store_unavailable_are_sent_again_until_the_store_is_back_and_then_reported_stored()
    {
        var copies = new Dictionary<string, int>();
        FakeTransport transport = null!;
        // The database is away for the first two copies of every datagram.
        transport = new FakeTransport(m =>
        {
            if (m is not AppendRequest a) return FakeTransport.Reply.Drop;
            var copy = copies[TextOf(a)] = copies.GetValueOrDefault(TextOf(a)) + 1;
            return copy <= 2 ? FakeTransport.NotYet(a) : transport.Store(a);
        });
        // A probe timeout of 100 ms, so a slow machine does not make a copy look lost before its answer is read.
        await using var client = new JournalClient(Server, transport, Options(TimeSpan.FromSeconds(30), timeoutMs: 100));

        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Notes(4), outcomes.Add);

        Assert.Equal((4L, 0L), (summary.Stored, summary.NotStored));
        Assert.Equal(Enumerable.Range(1, 4).Select(i => $"n{i}"), outcomes.Select(o => o.Text));
        Assert.All(outcomes, o => Assert.Equal(NoteStatus.Stored, o.Status));
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, outcomes.Select(o => o.Seq).Order());
        // Two "not yet", then stored (a fourth copy only if a slow machine made a probe timeout fire in between).
        for (var i = 1; i <= 4; i++) Assert.InRange(SendsOf(transport, $"n{i}"), 3, 4);
    }

    [Fact]
    public async Task A_note_one_server_could_not_store_while_another_stored_its_copy_is_reported_stored_with_that_seq()
    {
        var copies = 0;
        FakeTransport transport = null!;
        // The failover race: server A answers 22 for the first copy, while server B (the same shared journal, here the
        // same scripted store) stored a copy of it; the next copy is a Duplicate with the seq B gave it.
        transport = new FakeTransport(m =>
        {
            if (m is not AppendRequest a) return FakeTransport.Reply.Drop;
            if (++copies > 1) return transport.Store(a);
            transport.Store(a);
            return FakeTransport.NotYet(a);
        });
        await using var client = new JournalClient(Server, transport, Options(TimeSpan.FromSeconds(30)));

        var outcome = await client.WriteAsync("written during a failover");

        Assert.True(outcome.IsStored, outcome.Describe());
        Assert.Equal(NoteStatus.Duplicate, outcome.Status);
        Assert.Equal(1UL, outcome.Seq);
        Assert.Equal(2, transport.SentOf<AppendRequest>().Count);
    }

    [Fact]
    public async Task A_store_away_for_the_whole_timeout_leaves_the_notes_not_stored_and_later_notes_get_one_answer_each()
    {
        var transport = new FakeTransport(m => m is AppendRequest a ? FakeTransport.NotYet(a) : FakeTransport.Reply.Drop);
        // A window of 2: n1 and n2 wait the timeout out; n3 to n6 are sent after they were given up.
        await using var client = new JournalClient(Server, transport, Options(TimeSpan.FromMilliseconds(800), window: 2));

        var outcomes = new List<NoteOutcome>();
        var summary = await client.WriteAsync(Notes(6), outcomes.Add);

        Assert.Equal((0L, 6L), (summary.Stored, summary.Refused));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"n{i}"), outcomes.Select(o => o.Text));
        Assert.All(outcomes, o => Assert.Equal((NoteStatus.Rejected, ErrorCode.StoreUnavailable), (o.Status, o.Error)));
        // Sent again, backed off (20 ms doubled up to 200 ms over 800 ms: at most about 8 copies), not in a busy loop.
        foreach (var first in new[] { "n1", "n2" }) Assert.InRange(SendsOf(transport, first), 2, 12);
        for (var i = 3; i <= 6; i++) Assert.Equal(1, SendsOf(transport, $"n{i}"));
    }
}
