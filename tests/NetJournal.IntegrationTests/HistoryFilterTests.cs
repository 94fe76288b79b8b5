using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

public sealed class HistoryFilterTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = TestServer.Start();
        foreach (var name in new[] { "alice", "鲍勃", "carol" })
        {
            await using var client = _server.Client(name);
            await client.WriteAsync(Lines.Of(Enumerable.Range(1, 40).Select(i => $"{name} 笔记 {i} {(i % 10 == 0 ? "重要 IMPORTANT" : "平常")}")));
        }
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<List<Note>> Fetch(HistoryFilter filter, ulong last = 0, int? maxReply = null)
    {
        await using var client = _server.Client("reader", new JournalClientOptions { MaxReply = maxReply });
        return await client.HistoryAsync(filter, last).ToListAsync();
    }

    [Fact]
    public async Task Client_filter_returns_only_that_clients_notes()
    {
        var notes = await Fetch(new HistoryFilter(Client: "鲍勃"));
        Assert.Equal(40, notes.Count);
        Assert.All(notes, n => Assert.Equal("鲍勃", n.Client));
    }

    [Fact]
    public async Task Grep_is_case_insensitive_and_finds_chinese()
    {
        Assert.Equal(12, (await Fetch(new HistoryFilter(Grep: "important"))).Count);
        Assert.Equal(12, (await Fetch(new HistoryFilter(Grep: "重要"))).Count);
        Assert.Equal(4, (await Fetch(new HistoryFilter(Client: "carol", Grep: "重要"))).Count);
    }

    [Fact]
    public async Task Address_filter_matches_the_source_ip_on_any_port_and_an_exact_ip_and_port()
    {
        var all = await Fetch(HistoryFilter.None);
        Assert.Equal(120, (await Fetch(new HistoryFilter(Address: "127.0.0.1"))).Count);
        var oneSource = all[0].Address;
        Assert.Equal(40, (await Fetch(new HistoryFilter(Address: oneSource))).Count);
        Assert.Empty(await Fetch(new HistoryFilter(Address: "10.1.2.3")));
    }

    [Fact]
    public async Task Since_and_until_bound_the_time_range()
    {
        var all = await Fetch(HistoryFilter.None);
        var middle = all[60].TimeMs;
        var after = await Fetch(new HistoryFilter(SinceMs: middle));
        var before = await Fetch(new HistoryFilter(UntilMs: middle));
        Assert.Equal(all.Count, after.Count + before.Count);
        Assert.All(after, n => Assert.True(n.TimeMs >= middle));
        Assert.All(before, n => Assert.True(n.TimeMs < middle));
        Assert.Empty(await Fetch(new HistoryFilter(SinceMs: all[^1].TimeMs + 1)));
    }

    [Fact]
    public async Task Last_n_returns_the_latest_matching_notes_in_order()
    {
        var all = await Fetch(HistoryFilter.None);
        Assert.Equal(all.TakeLast(7).Select(n => n.Seq), (await Fetch(HistoryFilter.None, 7)).Select(n => n.Seq));
        var lastAlice = await Fetch(new HistoryFilter(Client: "alice"), 3);
        Assert.Equal(["alice 笔记 38 平常", "alice 笔记 39 平常", "alice 笔记 40 重要 IMPORTANT"], lastAlice.Select(n => n.Text));
    }

    [Fact]
    public async Task Small_pages_of_1232_bytes_return_the_same_history()
    {
        var big = await Fetch(HistoryFilter.None);
        var small = await Fetch(HistoryFilter.None, maxReply: 1232);
        Assert.Equal(big.Select(n => (n.Seq, n.Text)), small.Select(n => (n.Seq, n.Text)));
    }

    [Fact]
    public async Task Clients_lists_every_writer_with_counts()
    {
        await using var client = _server.Client("reader");
        var clients = await client.ClientsAsync();
        Assert.Equal(["alice", "鲍勃", "carol"], clients.Select(c => c.Name));
        Assert.All(clients, c => Assert.Equal(40UL, c.NoteCount));
        Assert.All(clients, c => Assert.StartsWith("127.0.0.1:", c.LastAddress));
    }
}
