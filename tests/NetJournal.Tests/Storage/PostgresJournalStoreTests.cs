using NetJournal.Protocol;
using NetJournal.Storage;
using NetJournal.Storage.PostgreSql;

namespace NetJournal.Tests.Storage;

/// <summary>The PostgreSQL journal against a real private PostgreSQL server (one for the class), each test in a database of its own.</summary>
public sealed class PostgresJournalStoreTests(PostgresClassFixture fixture) : IClassFixture<PostgresClassFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private async Task<(PostgresLocation Location, string Database)> NewJournalAsync()
    {
        var server = fixture.Require();
        var database = await server.CreateDatabaseAsync();
        return (PostgresLocation.Parse(server.Url(database)), database);
    }

    private static PendingNote Note(string text, ulong instance = 0, ulong number = 0, ulong @base = 0, string client = "张三", string address = "127.0.0.1:5000") =>
        new(client, address, text, Instance: instance, Number: number, Base: @base == 0 && number != 0 ? 1 : @base);

    private static NoteResult[] Commit(IJournalStore store, params PendingNote[] batch)
    {
        var results = new NoteResult[batch.Length];
        Assert.Null(store.Commit(batch, results));
        return results;
    }

    [Fact]
    public async Task Two_stores_over_one_database_give_gap_free_seqs_in_commit_order_and_deduplicate_each_others_notes()
    {
        var (location, _) = await NewJournalAsync();
        using var a = PostgresJournalStore.Open(location);
        using var b = PostgresJournalStore.Open(location);
        Assert.Equal([NoteResult.Stored(1), NoteResult.Stored(2)], Commit(a, Note("a1", 7, 1), Note("a2", 7, 2)));
        Assert.Equal([NoteResult.Stored(3)], Commit(b, Note("b1", 8, 1)));
        // Instance 7's retry through the other store is a duplicate; its next number is due there.
        var retried = Commit(b, Note("a2", 7, 2), Note("a3", 7, 3));
        Assert.Equal(NoteStatus.Duplicate, retried[0].Status);
        Assert.Equal(NoteResult.Stored(4), retried[1]);
        Assert.Equal([NoteResult.Stored(5)], Commit(a, Note("plain text, no instance")));
        Assert.Equal(5UL, a.LastSeq);
        var page = b.ReadPage(HistoryFilter.None, 0, 0, 60_000);
        Assert.Equal(["a1", "a2", "b1", "a3", "plain text, no instance"], page.Notes.Select(n => n.Text));
        Assert.Equal([1UL, 2, 3, 4, 5], page.Notes.Select(n => n.Seq));
        Assert.True(page.Complete);
    }

    [Fact]
    public async Task A_client_that_fails_over_continues_from_the_number_the_database_settled()
    {
        var (location, _) = await NewJournalAsync();
        using var a = PostgresJournalStore.Open(location);
        using var b = PostgresJournalStore.Open(location);
        Assert.Equal([NoteResult.Stored(1)], Commit(a, Note("one", 9, 1)));
        // At the other server, 3 before 2 waits (2 is not settled anywhere), however new that server is to the client.
        Assert.Equal([NoteResult.Deferred], Commit(b, Note("three", 9, 3, @base: 2)));
        Assert.Equal([NoteResult.Stored(2), NoteResult.Stored(3)], Commit(b, Note("two", 9, 2, @base: 2), Note("three", 9, 3, @base: 2)));
        // The first server hears of it from the database, not from its memory.
        Assert.Equal(NoteStatus.Duplicate, Commit(a, Note("two", 9, 2, @base: 2))[0].Status);
        Assert.Equal([NoteResult.Stored(4)], Commit(a, Note("four", 9, 4, @base: 4)));
    }

    [Fact]
    public async Task Count_pages_and_clients_answer_as_the_memory_store_does()
    {
        var (location, _) = await NewJournalAsync();
        var clock = new FakeTimeProvider(Start);
        using var postgres = PostgresJournalStore.Open(location, clock);
        using var memory = new MemoryJournalStore(clock);
        var texts = new[] { "Deploy 100% done", "lunch_time", "deploy again", "报警 磁盘", "ok" };
        for (var i = 0; i < 60; i++)
        {
            var note = Note($"{texts[i % texts.Length]} #{i}", client: $"c{i % 3}", address: i % 2 == 0 ? "10.0.0.1:4000" : "[::1]:5000");
            Commit(postgres, note);
            Commit(memory, note);
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        HistoryFilter[] filters =
        [
            HistoryFilter.None, new(Client: "c1"), new(Client: "nobody"), new(Address: "10.0.0.1"), new(Address: "::1"),
            new(Address: "[::1]:5000"), new(Address: "10.0.0.1:4000"), new(Address: "10.0.0.1:4001"), new(SinceMs: Start.AddSeconds(10).ToUnixTimeMilliseconds(), UntilMs: Start.AddSeconds(30).ToUnixTimeMilliseconds()),
            new(SinceMs: Start.AddSeconds(59).ToUnixTimeMilliseconds()), new(UntilMs: Start.AddSeconds(1).ToUnixTimeMilliseconds()),
            new(SinceMs: Start.AddSeconds(60).ToUnixTimeMilliseconds()), new(UntilMs: Start.ToUnixTimeMilliseconds()),
            new(Client: "c0", SinceMs: Start.AddSeconds(20).ToUnixTimeMilliseconds(), UntilMs: Start.AddSeconds(20.5).ToUnixTimeMilliseconds()),
            new(Grep: "DEPLOY"), new(Grep: "100%"), new(Grep: "_"), new(Client: "c2", Grep: "ok"),
        ];
        foreach (var filter in filters)
        {
            foreach (var lastN in new ulong[] { 0, 5 })
            {
                var expected = memory.Count(filter, lastN);
                var actual = postgres.Count(filter, lastN);
                Assert.Equal(expected.Matched, actual.Matched);
                Assert.Equal(expected.EndSeq, actual.EndSeq);
                // "All matches" may start later than 0 (at the time range's first seq), never after the first match.
                if (expected.Matched > 0 && lastN > 0) Assert.Equal(expected.StartAfterSeq, actual.StartAfterSeq);
                if (expected.Matched > 0 && lastN == 0) Assert.InRange(actual.StartAfterSeq, 0UL, Walk(memory, filter)[0].Seq - 1);
            }
            // Small pages, walked to the end: the same notes in the same order.
            var want = Walk(memory, filter);
            var got = Walk(postgres, filter);
            Assert.Equal(want.Select(n => (n.Seq, n.TimeMs, n.Client, n.Address, n.Text)), got.Select(n => (n.Seq, n.TimeMs, n.Client, n.Address, n.Text)));
        }
        Assert.Equal(memory.Clients(), postgres.Clients());
        Assert.Equal(memory.Clients(2), postgres.Clients(2));
    }

    private static List<Note> Walk(IJournalStore store, HistoryFilter filter)
    {
        var notes = new List<Note>();
        ulong after = 0;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = store.ReadPage(filter, after, 0, 200, maxScan: 7);
            notes.AddRange(page.Notes);
            after = page.NextAfterSeq;
            if (page.Complete) return notes;
        }
        throw new InvalidOperationException("the pages never completed");
    }

    [Fact]
    public async Task The_feed_hands_on_notes_stored_through_another_store_in_seq_order_read_from_the_table()
    {
        var (location, _) = await NewJournalAsync();
        using var a = PostgresJournalStore.Open(location);
        using var b = PostgresJournalStore.Open(location);
        Commit(a, Note("before the feed"));
        var seen = new List<Note>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (b.Follow(a.LastSeq, notes =>
        {
            lock (seen)
            {
                seen.AddRange(notes);
                if (seen.Count >= 30) enough.TrySetResult();
            }
        }))
        {
            for (var i = 1; i <= 10; i++)
            {
                Commit(a, Note($"a{i}"), Note($"a{i}'"));
                Commit(b, Note($"b{i}"));
            }
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        lock (seen)
        {
            Assert.Equal(Enumerable.Range(2, 30).Select(i => (ulong)i), seen.Select(n => n.Seq));
            Assert.Equal(20, seen.Count(n => n.Text.StartsWith('a')));
        }
    }

    [Fact]
    public async Task A_journal_of_a_newer_schema_version_is_refused_with_a_clear_message()
    {
        var (location, database) = await NewJournalAsync();
        PostgresJournalStore.Open(location).Dispose();
        await fixture.Server.ScalarAsync(database, "UPDATE netjournal.schema_version SET version = 99");
        var e = Assert.Throws<InvalidOperationException>(() => PostgresJournalStore.Open(location));
        Assert.Contains("version 99, newer than this netjournal knows (2)", e.Message);
    }

    [Fact]
    public async Task A_version_1_journal_is_brought_to_version_2_and_its_time_filters_still_answer()
    {
        var (location, database) = await NewJournalAsync();
        var clock = new FakeTimeProvider(Start);
        using (var store = PostgresJournalStore.Open(location, clock))
            for (var i = 0; i < 10; i++)
            {
                Commit(store, Note($"n{i}"));
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        // Version 1 as it was: a B-tree on time_ms, no seq_at_time.
        await fixture.Server.ScalarAsync(database, """
            CREATE INDEX notes_time ON netjournal.notes (time_ms); DROP FUNCTION netjournal.seq_at_time;
            UPDATE netjournal.schema_version SET version = 1
            """);
        using var upgraded = PostgresJournalStore.Open(location, clock);

        Assert.Equal(2, await fixture.Server.ScalarAsync(database, "SELECT version FROM netjournal.schema_version"));
        Assert.Equal(true, await fixture.Server.ScalarAsync(database, "SELECT to_regclass('netjournal.notes_time') IS NULL"));
        var filter = new HistoryFilter(SinceMs: Start.AddSeconds(3).ToUnixTimeMilliseconds(), UntilMs: Start.AddSeconds(6).ToUnixTimeMilliseconds());
        Assert.Equal(["n3", "n4", "n5"], upgraded.ReadPage(filter, 0, 0, 60_000).Notes.Select(n => n.Text));
        Assert.Equal(3UL, upgraded.Count(filter, 0).Matched);
        Assert.Equal(4L, await fixture.Server.ScalarAsync(database, $"SELECT netjournal.seq_at_time({Start.AddSeconds(2.5).ToUnixTimeMilliseconds()})"));
        Assert.Equal(11L, await fixture.Server.ScalarAsync(database, $"SELECT netjournal.seq_at_time({Start.AddSeconds(99).ToUnixTimeMilliseconds()})"));
    }

    [Fact]
    public async Task Import_then_export_gives_back_the_journal_file_line_for_line()
    {
        var (location, _) = await NewJournalAsync();
        using var folder = new TempDirectory();
        using (var file = JournalStore.Open(folder.Path))
        {
            Commit(file, Note("第一条 \"quoted\"", 5, 1), Note("second", 5, 2));
            Commit(file, new PendingNote("syslog-host", "192.0.2.1:514", "<13> from syslog", NoteOrigin.Syslog, 13));
            Commit(file, Note("plain"));
        }
        var result = PostgresJournalTransfer.Import(location, folder.Path);
        Assert.Equal((4L, 0L, 4UL), (result.Notes, result.SkippedLines, result.LastSeq));
        var output = new StringWriter();
        Assert.Equal(4, PostgresJournalTransfer.Export(location, output));
        Assert.Equal(File.ReadAllText(Path.Combine(folder.Path, JournalStore.FileName)), output.ToString());
        // The imported dedup pairs hold: a retry is a duplicate, the next number follows.
        using var store = PostgresJournalStore.Open(location);
        var results = Commit(store, Note("second", 5, 2), Note("third", 5, 3));
        Assert.Equal(NoteStatus.Duplicate, results[0].Status);
        Assert.Equal(NoteResult.Stored(5), results[1]);
        Assert.Throws<InvalidOperationException>(() => PostgresJournalTransfer.Import(location, folder.Path));
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_notes_are_refused_not_acknowledged_and_afterwards_they_are_stored()
    {
        var (location, _) = await NewJournalAsync();
        using var store = PostgresJournalStore.Open(location);
        Assert.Equal([NoteResult.Stored(1)], Commit(store, Note("before", 3, 1)));
        await fixture.Server.StopAsync();
        try
        {
            var results = new NoteResult[2];
            var error = store.Commit([Note("during", 3, 2, @base: 2), Note("no instance")], results);
            Assert.NotNull(error);
            Assert.Contains(location.Display, error.Message);
            Assert.All(results, r => Assert.Equal(NoteResult.Rejected(ErrorCode.StoreUnavailable), r));
            Assert.Throws<IOException>(() => store.Count(HistoryFilter.None, 0));
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }
        // StoreUnavailable is "not yet": nothing was remembered, so the client's next copy is stored, and its successor after it.
        Assert.Equal([NoteResult.Stored(2), NoteResult.Stored(3)],
            Commit(store, Note("during", 3, 2, @base: 2), Note("after", 3, 3, @base: 2)));
        Assert.Equal(["before", "during", "after"], store.ReadPage(HistoryFilter.None, 0, 0, 60_000).Notes.Select(n => n.Text));
    }
}
