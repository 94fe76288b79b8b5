using System.Collections.Concurrent;
using System.Net;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>
/// `netjournal serve --store postgresql://…` processes as stateless front ends of one journal in a private PostgreSQL:
/// one order and one copy of each note across servers, clients that fail over, a database that goes away and comes back.
/// </summary>
public sealed class PostgresFrontEndsTests(PostgresClassFixture fixture) : IClassFixture<PostgresClassFixture>
{
    private async Task<(string Url, string Database)> NewJournalAsync()
    {
        var postgres = fixture.Require();
        var database = await postgres.CreateDatabaseAsync();
        return (postgres.Url(database), database);
    }

    private static async Task<ServerProcess> ServeAsync(string url)
    {
        var server = ServerProcess.Start(ServerProcess.DefaultCli, TestServer.TempDirectory(), IPAddress.Loopback, 0, "--store", url);
        try
        {
            await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>A client over several servers, sending to the first until it stops answering.</summary>
    private static JournalClient Client(string name, params ServerProcess[] servers) =>
        new(servers[0].EndPoint, new FailoverDatagramTransport([.. servers.Select(s => (IDatagramTransport)new UdpDatagramTransport(s.EndPoint))]),
            new JournalClientOptions { Name = name, GiveUpAfter = TimeSpan.FromSeconds(30) });

    private static IEnumerable<string> Texts(string writer, int count) => Enumerable.Range(1, count).Select(i => $"{writer} 第{i}条");

    private async Task<List<(long Seq, string Client, string Text)>> StoredAsync(string database) =>
        [.. (await fixture.Server.RowsAsync(database, "SELECT seq, client, text FROM netjournal.notes ORDER BY seq")).Select(r => ((long)r[0], (string)r[1], (string)r[2]))];

    [Fact]
    public async Task Two_servers_and_four_writers_store_every_note_once_in_one_gap_free_order_that_both_servers_show()
    {
        var (url, database) = await NewJournalAsync();
        await using var a = await ServeAsync(url);
        await using var b = await ServeAsync(url);
        const int perWriter = 2000;
        var writers = new[] { ("w1", a), ("w2", a), ("w3", b), ("w4", b) }.Select(async w =>
        {
            await using var client = new JournalClient(w.Item2.EndPoint, new JournalClientOptions { Name = w.Item1 });
            return await client.WriteAsync(Lines.Of(Texts(w.Item1, perWriter)));
        });
        Assert.All(await Task.WhenAll(writers), s => Assert.Equal((perWriter, 0L), (s.Stored, s.NotStored)));

        var stored = await StoredAsync(database);
        Assert.Equal(Enumerable.Range(1, 4 * perWriter).Select(i => (long)i), stored.Select(n => n.Seq));
        foreach (var writer in new[] { "w1", "w2", "w3", "w4" })
            Assert.Equal(Texts(writer, perWriter), stored.Where(n => n.Client == writer).Select(n => n.Text));
        await using var readA = a.Client("reader");
        await using var readB = b.Client("reader");
        var fromA = await readA.HistoryAsync(HistoryFilter.None).ToListAsync();
        var fromB = await readB.HistoryAsync(HistoryFilter.None).ToListAsync();
        Assert.Equal(4 * perWriter, fromA.Count);
        Assert.Equal(fromA, fromB);
        Assert.Equal(stored.Select(n => n.Text), fromA.Select(n => n.Text));
        Assert.Equal((ulong)perWriter, (await readB.ClientsAsync()).Single(c => c.Name == "w1").NoteCount);
    }

    [Fact]
    public async Task A_server_killed_mid_load_loses_nothing_acknowledged_the_writers_fail_over_and_each_note_is_stored_once()
    {
        var (url, database) = await NewJournalAsync();
        await using var a = await ServeAsync(url);
        await using var b = await ServeAsync(url);
        const int perWriter = 3000;
        var acknowledged = new ConcurrentBag<string>();
        var writers = new[] { "k1", "k2", "k3" }.Select(async name =>
        {
            await using var client = Client(name, a, b);
            return await client.WriteAsync(Lines.Of(Texts(name, perWriter)), o =>
            {
                if (o.IsStored) acknowledged.Add(o.Text);
            });
        }).ToArray();
        // Killed once part of the load is stored: notes in flight at it are retried through the other server.
        for (var waited = 0; (long)(await fixture.Server.ScalarAsync(database, "SELECT last_seq FROM netjournal.counter"))! < perWriter && waited < 600; waited++)
            await Task.Delay(50);
        a.Signal("KILL");
        var summaries = await Task.WhenAll(writers);

        Assert.All(summaries, s => Assert.Equal((perWriter, 0L), (s.Stored, s.NotStored)));
        var stored = await StoredAsync(database);
        Assert.Equal(Enumerable.Range(1, 3 * perWriter).Select(i => (long)i), stored.Select(n => n.Seq));
        Assert.Equal(stored.Count, stored.Select(n => n.Text).Distinct().Count());
        Assert.Empty(acknowledged.Except(stored.Select(n => n.Text)));
        foreach (var name in new[] { "k1", "k2", "k3" })
            Assert.Equal(Texts(name, perWriter), stored.Where(n => n.Client == name).Select(n => n.Text));
    }

    [Fact]
    public async Task While_PostgreSQL_restarts_the_servers_refuse_and_resume_and_what_a_client_over_both_hears_matches_the_table()
    {
        var (url, database) = await NewJournalAsync();
        await using var a = await ServeAsync(url);
        await using var b = await ServeAsync(url);
        const int perWriter = 4000;
        var outcomes = new ConcurrentBag<NoteOutcome>();
        // One writer with both servers (--server A,B), one through B alone. StoreUnavailable is "not yet": both send
        // such notes again until the database is back, so what they report stored and not stored matches the table.
        var writers = new[] { ("r1", Client("r1", a, b)), ("r2", b.Client("r2", TimeSpan.FromSeconds(30))) }.Select(async w =>
        {
            await using var client = w.Item2;
            return await client.WriteAsync(Lines.Of(Texts(w.Item1, perWriter)), outcomes.Add);
        }).ToArray();
        for (var waited = 0; (long)(await fixture.Server.ScalarAsync(database, "SELECT last_seq FROM netjournal.counter"))! < 500 && waited < 600; waited++)
            await Task.Delay(50);
        await fixture.Server.StopAsync();
        try
        {
            for (var waited = 0; !(a.Log + b.Log).Contains("Could not store", StringComparison.Ordinal) && waited < 600; waited++) await Task.Delay(50);
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }
        var summaries = await Task.WhenAll(writers);

        Assert.Contains("Could not store", a.Log + b.Log);
        Assert.Equal(2 * perWriter, outcomes.Count);
        Assert.Equal(2L * perWriter, summaries.Sum(s => s.Stored + s.NotStored));
        // Only an outcome PostgreSQL itself left open (the connection broke during COMMIT) may stay unsettled; the
        // database's absence is waited out.
        Assert.All(outcomes.Where(o => !o.IsStored), o => Assert.Equal(ErrorCode.StoreOutcomeUnknown, o.Error));
        var stored = await StoredAsync(database);
        var texts = stored.Select(n => n.Text).ToHashSet();
        Assert.Equal(stored.Count, texts.Count);
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(n => n.Seq));
        Assert.All(outcomes.Where(o => o.IsStored), o => Assert.Contains(o.Text, texts));
        Assert.All(outcomes.Where(o => !o.IsStored && o.Error != ErrorCode.StoreOutcomeUnknown), o => Assert.DoesNotContain(o.Text, texts));
        foreach (var name in new[] { "r1", "r2" })
            Assert.Equal(Texts(name, perWriter).Where(texts.Contains), stored.Where(n => n.Client == name).Select(n => n.Text));
        // Both servers store again, and say so.
        foreach (var server in new[] { a, b })
        {
            await using var client = server.Client("after");
            Assert.True((await client.WriteAsync("after the restart")).IsStored);
        }
        Assert.Contains("Storing works again", a.Log + b.Log);
    }

    [Fact]
    public async Task A_follower_on_server_A_sees_the_notes_stored_through_server_B_each_once_in_seq_order()
    {
        var (url, _) = await NewJournalAsync();
        await using var a = await ServeAsync(url);
        await using var b = await ServeAsync(url);
        var patience = TimeSpan.FromSeconds(60);
        await using var follow = FollowProcess.Start(a.EndPoint, "--after", "0");
        await using (var viaB = b.Client("via-b"))
            Assert.Equal(0, (await viaB.WriteAsync(Lines.Of(Texts("via-b", 50)))).NotStored);
        await using (var viaA = a.Client("via-a"))
            Assert.Equal(0, (await viaA.WriteAsync(Lines.Of(Texts("via-a", 10)))).NotStored);
        await follow.WaitForNotesAsync(60, patience);

        Assert.Equal(0, await follow.StopAsync(patience));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (ulong)i), follow.Notes.Select(n => n.Seq));
        Assert.Equal(Texts("via-b", 50), follow.Notes.Take(50).Select(n => n.Text));
        Assert.Empty(follow.Errors);
    }
}
