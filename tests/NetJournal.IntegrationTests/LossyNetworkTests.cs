using System.Collections.Concurrent;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

[Collection(HeavyTests.Name)]
public sealed class LossyNetworkTests(ITestOutputHelper output)
{
    private static readonly FaultProfile Lossy = new(Drop: 0.30, Duplicate: 0.05, Reorder: 0.05);

    [Fact]
    public async Task Four_clients_writing_through_30_percent_loss_each_way_get_every_note_stored_exactly_once_in_order()
    {
        await using var server = TestServer.Start();
        await using var relay = new FaultyRelay(server.EndPoint, seed: 20250601, toServer: Lossy, toClient: Lossy);
        const int clients = 4, perClient = 1000;
        var outcomes = new ConcurrentDictionary<int, List<NoteOutcome>>();
        var writers = Enumerable.Range(1, clients).Select(async c =>
        {
            // The 1,232-byte default for a remote server, so 1,000 notes travel in dozens of datagrams, not four.
            await using var client = new JournalClient(relay.EndPoint, new JournalClientOptions
            {
                Name = $"丢包写手{c}",
                GiveUpAfter = TimeSpan.FromSeconds(60),
                MaxAppendBytes = 1232,
                // The relay is on loopback: round trips take well under a millisecond, so a 30 ms floor is still generous.
                InitialTimeout = TimeSpan.FromMilliseconds(100),
                MinTimeout = TimeSpan.FromMilliseconds(30),
            });
            var mine = outcomes.GetOrAdd(c, _ => []);
            var notes = Enumerable.Range(1, perClient).Select(i => Text(c, i));
            return await client.WriteAsync(Lines.Of(notes), o => { lock (mine) mine.Add(o); }).WaitAsync(TimeSpan.FromSeconds(120));
        }).ToArray();
        var summaries = await Task.WhenAll(writers);

        for (var c = 1; c <= clients; c++)
        {
            var s = summaries[c - 1];
            output.WriteLine($"写手{c}：发送 {s.Sent}，存下 {s.Stored}，重传 {s.Retransmissions} 个数据报，每条笔记 {(double)s.Retransmissions / perClient:0.000} 次重传");
        }
        var total = summaries.Sum(s => s.Retransmissions);
        output.WriteLine($"合计：{clients * perClient} 条笔记，{total} 次重传，平均每条 {(double)total / (clients * perClient):0.000} 次");
        output.WriteLine(relay.ToString());

        Assert.All(summaries, s => Assert.Equal((perClient, 0L, 0L), (s.Stored, s.Refused, s.Unanswered)));
        // The faults really happened: about 30% lost each way, and some duplicated and reordered.
        Assert.InRange((double)relay.ToServer.Dropped / relay.ToServer.Received, 0.2, 0.4);
        Assert.InRange((double)relay.ToClient.Dropped / relay.ToClient.Received, 0.2, 0.4);
        Assert.True(relay.ToServer.Duplicated > 0 && relay.ToServer.Reordered > 0, relay.ToString());

        // Read what the server holds directly from its store, not through the relay.
        var journal = server.Server.Store.ReadPage(HistoryFilter.None, 0, 0, int.MaxValue).Notes;
        Assert.Equal(clients * perClient, journal.Count);
        Assert.Equal(Enumerable.Range(1, clients * perClient).Select(i => (ulong)i), journal.Select(n => n.Seq));
        Assert.Equal(journal.Count, journal.Select(n => n.Text).Distinct().Count());
        for (var c = 1; c <= clients; c++)
        {
            var expected = Enumerable.Range(1, perClient).Select(i => Text(c, i)).ToList();
            Assert.Equal(expected, journal.Where(n => n.Client == $"丢包写手{c}").Select(n => n.Text));
            var reported = outcomes[c];
            // Every note got exactly one outcome, in the client's order, each one stored with the seq it really has.
            Assert.Equal(expected, reported.Select(o => o.Text));
            Assert.All(reported, o => Assert.True(o.IsStored, $"{o.Text}: {o.Describe()}"));
            var seqOf = journal.ToDictionary(n => n.Text, n => n.Seq);
            Assert.All(reported.Where(o => o.Seq != 0), o => Assert.Equal(seqOf[o.Text], o.Seq));
        }
    }

    [Fact]
    public async Task A_paged_history_of_10000_notes_read_through_30_percent_loss_comes_back_complete_and_in_order()
    {
        await using var server = TestServer.Start();
        const int count = 10_000;
        await using (var writer = server.Client("历史作者"))
        {
            var summary = await writer.WriteAsync(Lines.Of(Enumerable.Range(1, count).Select(i => $"历史笔记 第{i}条 ✍ {i}")));
            Assert.Equal(count, summary.Stored);
        }
        await using var relay = new FaultyRelay(server.EndPoint, seed: 10_000, toServer: Lossy, toClient: Lossy);
        await using var reader = new JournalClient(relay.EndPoint, new JournalClientOptions
        {
            Name = "读者",
            GiveUpAfter = TimeSpan.FromSeconds(60),
            MaxReply = 1232,
            InitialTimeout = TimeSpan.FromMilliseconds(100),
            MinTimeout = TimeSpan.FromMilliseconds(30),
            HistoryParallelism = 16,
        });

        var notes = await reader.HistoryAsync(HistoryFilter.None).ToListAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(120));

        output.WriteLine($"{count} 条笔记，每页最多 1232 字节，重传 {reader.Retransmissions} 次；{relay}");
        Assert.Equal(Enumerable.Range(1, count).Select(i => (ulong)i), notes.Select(n => n.Seq));
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"历史笔记 第{i}条 ✍ {i}"), notes.Select(n => n.Text));
        // Many pages, so the loss was met many times.
        Assert.True(relay.ToClient.Received > count / 50, relay.ToString());
        Assert.True(relay.ToClient.Dropped > 0 && relay.ToServer.Dropped > 0, relay.ToString());
    }

    private static string Text(int client, int i) => $"客户{client} 第{i}条 经过丢包网络 📡 {client}-{i}";
}

/// <summary>Tests that load both cores for seconds run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class HeavyTests
{
    public const string Name = "重负载测试";
}
