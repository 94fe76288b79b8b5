using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>
/// A client on a path of 1,232-byte datagrams (any server not on loopback) needs thousands of datagrams for a bulk
/// write or a long history. The server drops what a source sends over its per-source limit, and each drop costs the
/// client a retransmission timeout, so the client paces itself below the limit. Here both are scaled down (a server
/// limit of 2,000 a second with a burst of a few hundred, a client paced at 1,600) so that a few seconds show it. A page
/// request with a token counts as a quarter of a datagram at both ends (RateCost), so the history read sends up to
/// 6,400 of them a second: were the server to count them whole, it would drop some.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class ClientPacingTests(ITestOutputHelper output)
{
    private const int Notes = 10_000;
    private const int ServerRate = 2_000, ClientRate = 1_600;

    private static JournalClientOptions RemoteSized(int maxDatagramsPerSecond) => new()
    {
        MaxAppendBytes = ProtocolConstants.DefaultMaxReply,
        MaxReply = ProtocolConstants.DefaultMaxReply,
        MaxDatagramsPerSecond = maxDatagramsPerSecond,
        GiveUpAfter = TimeSpan.FromSeconds(60),
    };

    private static IEnumerable<string> Lines(string who, int count = Notes) =>
        Enumerable.Range(1, count).Select(i => $"{who} {i:D5} 日志 ✍ ".PadRight(90, '.'));

    [Fact]
    public async Task A_paced_client_writes_and_reads_thousands_of_small_datagrams_without_one_dropped_by_the_rate_limit()
    {
        // The server's bucket is made when it reads the first datagram; the client's is full from the start. A burst of
        // 300 against the client's 32 leaves room for the first datagrams to wait 0.17 s to be read, and a count first
        // has the receive path compiled by then.
        const int serverBurst = 300;
        await using var server = TestServer.Start(configure: o => (o.RateLimitPerSource, o.RateLimitBurst) = (ServerRate, serverBurst));
        await using var client = server.Client("远方", RemoteSized(ClientRate));
        await client.CountAsync(new HistoryFilter());

        var summary = await client.WriteAsync(Lines("远方").ToAsyncEnumerable());
        var datagramsWritten = server.Server.Counters.Datagrams;
        var notes = new List<Note>();
        await foreach (var note in client.HistoryAsync(new HistoryFilter())) notes.Add(note);
        var counters = server.Server.Counters;
        output.WriteLine($"wrote {summary.Stored:N0} notes in {datagramsWritten:N0} datagrams in {summary.Elapsed.TotalSeconds:0.00} s; " +
            $"read {notes.Count:N0} back; {counters.Datagrams:N0} datagrams in all, {counters.RateLimited} rate-limited, {client.Retransmissions} retransmissions; server: {counters}");

        Assert.Equal(Notes, summary.Stored);
        // Far more datagrams than the server's burst, so the limit was in play the whole time.
        Assert.True(counters.Datagrams > 5 * serverBurst, $"only {counters.Datagrams} datagrams");
        Assert.Equal(0, counters.RateLimited);
        Assert.Equal(Lines("远方"), notes.Select(n => n.Text));
    }

    [Fact]
    public async Task Unpaced_the_same_write_runs_into_the_rate_limit_and_recovers_by_retransmitting()
    {
        // A limit a quarter of the paced test's, with a small burst: an unpaced client passes it even on a loaded machine.
        const int serverBurst = 20;
        await using var server = TestServer.Start(configure: o => (o.RateLimitPerSource, o.RateLimitBurst) = (ServerRate / 4, serverBurst));
        await using var client = server.Client("远方", RemoteSized(0));

        // A third of the notes: still three times the server's burst, and every drop costs a timeout.
        var summary = await client.WriteAsync(Lines("远方", Notes / 3).ToAsyncEnumerable());
        var counters = server.Server.Counters;
        output.WriteLine($"unpaced: {summary.Stored:N0} stored in {summary.Elapsed.TotalSeconds:0.00} s, {counters.RateLimited} datagrams rate-limited, {summary.Retransmissions} retransmissions");

        Assert.Equal(Notes / 3, summary.Stored);
        Assert.True(counters.RateLimited > 0, "the unpaced client never went over the limit");
        Assert.True(summary.Retransmissions > 0);
    }
}
