using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

public sealed class ConcurrentWritersTests
{
    [Fact]
    public async Task Eight_clients_writing_500_notes_each_at_once_are_stored_exactly_once_in_each_clients_order()
    {
        await using var server = TestServer.Start();
        const int clients = 8, perClient = 500;
        var writers = Enumerable.Range(1, clients).Select(async c =>
        {
            await using var client = server.Client($"写手{c}");
            var notes = Enumerable.Range(1, perClient).Select(i => $"客户{c} 第{i}条 🙂 {c}-{i}");
            return await client.WriteAsync(Lines.Of(notes));
        }).ToArray();
        var summaries = await Task.WhenAll(writers);
        Assert.All(summaries, s => Assert.Equal((perClient, 0L), (s.Stored, s.NotStored)));

        await using var reader = server.Client("reader");
        var all = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
        Assert.Equal(clients * perClient, all.Count);
        Assert.Equal(Enumerable.Range(1, clients * perClient).Select(i => (ulong)i), all.Select(n => n.Seq));
        for (var c = 1; c <= clients; c++)
        {
            var mine = all.Where(n => n.Client == $"写手{c}").Select(n => n.Text).ToList();
            Assert.Equal(Enumerable.Range(1, perClient).Select(i => $"客户{c} 第{i}条 🙂 {c}-{i}"), mine);
        }
        // The file holds exactly the same notes, one JSON line each.
        Assert.Equal(clients * perClient, File.ReadLines(server.JournalPath).Count());
        Assert.True(server.Server.Counters.Commits < clients * perClient, "group commit shares flushes between notes");
    }
}
