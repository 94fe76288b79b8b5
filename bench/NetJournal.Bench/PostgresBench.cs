using System.Diagnostics;
using System.Net;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Storage.PostgreSql;
using Npgsql;
using NpgsqlTypes;

namespace NetJournal.Bench;

/// <summary>One target's acknowledged notes a second in one round.</summary>
internal sealed record PostgresRun(int Round, string Target, long Notes, double Seconds, double NotesPerSecond, long NotStored);

internal sealed record PostgresResult(int Writers, int NotesPerWriter, int NoteBytes, int Rounds, string PostgresVersion, IReadOnlyList<PostgresRun> Runs,
    IReadOnlyDictionary<string, double> MedianPerSecond);

/// <summary>
/// `postgres [W] [M] [R]`: acknowledged notes a second with W writers (default 8) of M notes each (default 20,000, 100 bytes)
/// into the file store, one front end over PostgreSQL, two front ends over PostgreSQL (half the writers each), and,
/// as the reference, a plain binary COPY of the same notes into the same table (one COPY per writer, at once), and one
/// front end over a journal with schema version 1's B-tree on time_ms put back (what dropping it gained), taking turns
/// round by round (R rounds, default 3). PostgreSQL is a private server with fsync on, on this machine.
/// </summary>
internal static class PostgresBench
{
    public const int NoteBytes = 100;
    private static readonly string[] Targets = ["file", "postgres-1-front-end", "postgres-2-front-ends", "postgres-copy", "postgres-1-front-end-v1-index"];

    public static async Task<PostgresResult> RunAsync(int writers, int perWriter, int rounds)
    {
        var dir = RepoPaths.NewTempDirectory("postgres");
        try
        {
            await using var file = await ServeAsync(Directory.CreateDirectory(Path.Combine(dir, "file")).FullName);
            await using var postgres = await PostgresServer.StartAsync(fsync: true);
            var version = (string)(await postgres.ScalarAsync("postgres", "SHOW server_version"))!;
            var oneDb = await postgres.CreateDatabaseAsync();
            var twoDb = await postgres.CreateDatabaseAsync();
            var copyDb = await postgres.CreateDatabaseAsync();
            var v1Db = await postgres.CreateDatabaseAsync();
            var copyLocation = PostgresLocation.Parse(postgres.Url(copyDb));
            PostgresJournalStore.Open(copyLocation).Dispose();
            await using var one = await ServeAsync(dir, "--store", postgres.Url(oneDb));
            await using var twoA = await ServeAsync(dir, "--store", postgres.Url(twoDb));
            await using var twoB = await ServeAsync(dir, "--store", postgres.Url(twoDb));
            // Schema version 1's B-tree on time_ms, put back: what dropping it gained, measured in the same rounds.
            await using var oneV1 = await ServeAsync(dir, "--store", postgres.Url(v1Db));
            await postgres.ScalarAsync(v1Db, "CREATE INDEX notes_time ON netjournal.notes (time_ms)");
            Console.Error.WriteLine($"postgres: PostgreSQL {version} on port {postgres.Port}; {writers} writers x {perWriter:N0} notes of {NoteBytes} B, {rounds} rounds");

            // A short warm-up of each path (JIT, connections), not counted.
            await WriteAsync([file], writers, 1000, 0);
            await WriteAsync([one], writers, 1000, 0);
            await WriteAsync([twoA, twoB], writers, 1000, 0);
            await WriteAsync([oneV1], writers, 1000, 0);
            ulong copySeq = 0;
            copySeq = await CopyAsync(postgres.ConnectionString(copyDb), writers, 1000, copySeq);

            var runs = new List<PostgresRun>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var target in Targets)
                {
                    var watch = Stopwatch.StartNew();
                    long notStored = 0;
                    switch (target)
                    {
                        case "file": notStored = await WriteAsync([file], writers, perWriter, round); break;
                        case "postgres-1-front-end": notStored = await WriteAsync([one], writers, perWriter, round); break;
                        case "postgres-2-front-ends": notStored = await WriteAsync([twoA, twoB], writers, perWriter, round); break;
                        case "postgres-1-front-end-v1-index": notStored = await WriteAsync([oneV1], writers, perWriter, round); break;
                        default: copySeq = await CopyAsync(postgres.ConnectionString(copyDb), writers, perWriter, copySeq); break;
                    }
                    var seconds = watch.Elapsed.TotalSeconds;
                    var notes = (long)writers * perWriter - notStored;
                    var run = new PostgresRun(round, target, notes, seconds, notes / seconds, notStored);
                    runs.Add(run);
                    Console.Error.WriteLine($"postgres: round {round}, {target}: {notes:N0} notes in {seconds:F2} s = {run.NotesPerSecond:N0}/s{(notStored > 0 ? $", {notStored:N0} NOT STORED" : "")}");
                }
            }
            var medians = Targets.ToDictionary(t => t, t => Median(runs.Where(r => r.Target == t).Select(r => r.NotesPerSecond)));
            Console.Error.WriteLine();
            Console.Error.WriteLine("postgres: median acknowledged notes/s");
            foreach (var (target, perSecond) in medians)
                Console.Error.WriteLine($"  {target,-30} {perSecond,10:N0}/s  {perSecond / medians["file"],5:F2}x file  {perSecond / medians["postgres-copy"],5:F2}x COPY");
            foreach (var server in new[] { file, one, twoA, twoB, oneV1 }) await server.StopAsync(TimeSpan.FromSeconds(30));
            return new PostgresResult(writers, perWriter, NoteBytes, rounds, version, runs, medians);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>A server (one at a time, so no two take the same free port), answering.</summary>
    private static async Task<ServerProcess> ServeAsync(string data, params string[] options)
    {
        var server = ServerProcess.Start(RepoPaths.BuiltCliDll, data, IPAddress.Loopback, 0, ["--rate-limit", "0", .. options]);
        // A loaded machine can take long to start a process: as long as fetch allows.
        await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(3));
        Console.Error.WriteLine($"postgres: server {server.Pid} on {server.EndPoint} {string.Join(' ', options)}");
        return server;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static IEnumerable<string> Notes(int writer, int count, int round)
    {
        var pad = new string('x', NoteBytes);
        for (var i = 1; i <= count; i++)
        {
            var head = $"r{round} w{writer} n{i} ";
            yield return head + pad[..(NoteBytes - head.Length)];
        }
    }

    /// <summary>The writers, spread over <paramref name="servers"/> in turn, each writing its notes with one client; notes not stored.</summary>
    private static async Task<long> WriteAsync(ServerProcess[] servers, int writers, int perWriter, int round)
    {
        var tasks = Enumerable.Range(1, writers).Select(async w =>
        {
            await using var client = new JournalClient(servers[w % servers.Length].EndPoint,
                new JournalClientOptions { Name = $"bench-writer-{w}", GiveUpAfter = TimeSpan.FromSeconds(30), MaxDatagramsPerSecond = 0 });
            var summary = await client.WriteAsync(Lines(Notes(w, perWriter, round)));
            return summary.NotStored;
        });
        return (await Task.WhenAll(tasks)).Sum();
    }

    private static async IAsyncEnumerable<string> Lines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            yield return line;
            await Task.CompletedTask;
        }
    }

    /// <summary>One binary COPY per writer, all at once, into the journal's notes table, with seqs after <paramref name="lastSeq"/>.</summary>
    private static async Task<ulong> CopyAsync(string connectionString, int writers, int perWriter, ulong lastSeq)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY netjournal.notes (seq, time_ms, client, address, host, text, origin, priority, instance, number) FROM STDIN (FORMAT BINARY)");
            var seq = lastSeq + (ulong)(w * perWriter);
            var number = 0L;
            var instance = Random.Shared.NextInt64(1, long.MaxValue);
            foreach (var text in Notes(w, perWriter, 0))
            {
                await copy.StartRowAsync();
                await copy.WriteAsync((long)++seq, NpgsqlDbType.Bigint);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                await copy.WriteAsync($"bench-writer-{w}", NpgsqlDbType.Text);
                await copy.WriteAsync("127.0.0.1:40000", NpgsqlDbType.Text);
                await copy.WriteAsync("127.0.0.1", NpgsqlDbType.Text);
                await copy.WriteAsync(text, NpgsqlDbType.Text);
                await copy.WriteAsync((short)0, NpgsqlDbType.Smallint);
                await copy.WriteNullAsync();
                await copy.WriteAsync(instance, NpgsqlDbType.Bigint);
                await copy.WriteAsync(++number, NpgsqlDbType.Bigint);
            }
            await copy.CompleteAsync();
        }));
        return lastSeq + (ulong)(writers * perWriter);
    }
}
