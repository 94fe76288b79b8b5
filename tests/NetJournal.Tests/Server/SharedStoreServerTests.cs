using System.Net;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage.PostgreSql;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Server;

/// <summary>Two JournalServers over one PostgreSQL journal: the commit listeners of each hear every note, whichever server stored it.</summary>
public sealed class SharedStoreServerTests(PostgresClassFixture fixture) : IClassFixture<PostgresClassFixture>
{
    private static JournalServer Serve(PostgresLocation location, RecordingListener? listener = null)
    {
        var options = new JournalServerOptions { Bind = IPAddress.Loopback, Port = 0, OpenStore = time => PostgresJournalStore.Open(location, time), DataDirectory = "/nonexistent" };
        if (listener is not null) options.CommitListeners.Add(listener);
        var server = new JournalServer(options);
        server.Start();
        return server;
    }

    [Fact]
    public async Task A_listener_on_server_A_hears_the_notes_stored_through_server_B_in_seq_order_each_once()
    {
        var postgres = fixture.Require();
        var location = PostgresLocation.Parse(postgres.Url(await postgres.CreateDatabaseAsync()));
        var heard = new RecordingListener();
        var a = Serve(location, heard);
        var b = Serve(location);
        try
        {
            await using (var viaB = new JournalClient(b.LocalEndPoint, new JournalClientOptions { Name = "via-b" }))
            await using (var viaA = new JournalClient(a.LocalEndPoint, new JournalClientOptions { Name = "via-a" }))
            {
                var written = await Task.WhenAll(
                    viaB.WriteAsync(Lines(Enumerable.Range(1, 300).Select(i => $"b{i}"))),
                    viaA.WriteAsync(Lines(Enumerable.Range(1, 100).Select(i => $"a{i}"))));
                Assert.All(written, w => Assert.Equal(0, w.NotStored));
            }
            await heard.WhenAtLeast(400).WaitAsync(TimeSpan.FromSeconds(30));
            var notes = heard.Notes;
            Assert.Equal(Enumerable.Range(1, 400).Select(i => (ulong)i), notes.Select(n => n.Seq));
            Assert.Equal(Enumerable.Range(1, 300).Select(i => $"b{i}"), notes.Where(n => n.Client == "via-b").Select(n => n.Text));
            Assert.Equal(Enumerable.Range(1, 100).Select(i => $"a{i}"), notes.Where(n => n.Client == "via-a").Select(n => n.Text));
            Assert.Equal((100L, 300L), (a.Counters.NotesStored, b.Counters.NotesStored));
        }
        finally
        {
            await a.StopAsync();
            await b.StopAsync();
        }
    }

    private static async IAsyncEnumerable<string> Lines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }
}
