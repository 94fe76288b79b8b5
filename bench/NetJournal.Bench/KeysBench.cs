using System.Diagnostics;
using System.Net;
using NetJournal.Bench.Data;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Bench;

/// <summary>
/// `keys [N] [M] [R]`: what sealing costs. Two servers on copies of one journal of N notes (default 1,000,000), one
/// plain and one with keys on (`serve --clients`), both with --rate-limit 0; R rounds (default 5), each writing M notes
/// (default 100,000, 100 bytes, acknowledged) and fetching the whole history, keys off and on taking turns (the order
/// swapped every round), from one client in this process.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class KeysBench
{
    internal sealed record KeysRound(int Round, string Keys, double WriteSeconds, double NotesPerSecond, double FetchSeconds, long Fetched);

    internal sealed record KeysResult(long JournalNotes, int WriteNotes, IReadOnlyList<KeysRound> Rounds, double WriteRatio, double FetchRatio);

    public static async Task<KeysResult> RunAsync(long notes, int writeNotes, int rounds)
    {
        var dir = RepoPaths.NewTempDirectory("keys");
        try
        {
            var plainDir = Path.Combine(dir, "plain");
            var keyedDir = Path.Combine(dir, "keyed");
            Directory.CreateDirectory(plainDir);
            JournalGenerator.Write(plainDir, notes);
            Directory.CreateDirectory(keyedDir);
            File.Copy(Path.Combine(plainDir, "journal.jsonl"), Path.Combine(keyedDir, "journal.jsonl"));
            var key = ClientKey.Generate();
            var clients = Path.Combine(dir, "clients");
            File.WriteAllText(clients, $"bench {key} write,read-all\n");
            File.SetUnixFileMode(clients, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            await using var plain = ServerProcess.Start(RepoPaths.BuiltCliDll, plainDir, IPAddress.Loopback, 0, "--rate-limit", "0");
            await using var keyed = ServerProcess.Start(RepoPaths.BuiltCliDll, keyedDir, IPAddress.Loopback, 0, "--rate-limit", "0", "--clients", clients);
            await plain.WaitUntilListeningAsync(TimeSpan.FromMinutes(3));
            await keyed.WaitUntilListeningAsync(TimeSpan.FromMinutes(3));
            Console.Error.WriteLine($"keys: {notes:N0} notes in each journal; {rounds} rounds of {writeNotes:N0} notes written and the whole history fetched");

            var results = new List<KeysRound>();
            // One warm-up round each (JIT, page cache), not counted.
            await RoundAsync(plain, null, Math.Min(writeNotes, 10_000));
            await RoundAsync(keyed, key, Math.Min(writeNotes, 10_000));
            for (var round = 1; round <= rounds; round++)
            {
                var order = round % 2 == 1 ? new[] { false, true } : [true, false];
                foreach (var on in order)
                {
                    var server = on ? keyed : plain;
                    await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
                    var (write, fetch, fetched) = await RoundAsync(server, on ? key : null, writeNotes);
                    var r = new KeysRound(round, on ? "on" : "off", write, writeNotes / write, fetch, fetched);
                    results.Add(r);
                    Console.Error.WriteLine($"keys {r.Keys,-3} round {round}: write {writeNotes:N0} in {write:F2} s ({r.NotesPerSecond:N0} notes/s); fetch {fetched:N0} in {fetch:F2} s");
                }
            }
            double Median(IEnumerable<double> xs) => xs.Order().ElementAt(rounds / 2);
            var writeRatio = Median(results.Where(r => r.Keys == "on").Select(r => r.NotesPerSecond)) / Median(results.Where(r => r.Keys == "off").Select(r => r.NotesPerSecond));
            var fetchRatio = Median(results.Where(r => r.Keys == "off").Select(r => r.FetchSeconds)) / Median(results.Where(r => r.Keys == "on").Select(r => r.FetchSeconds));
            Console.Error.WriteLine($"keys: median write keys on / off = {writeRatio:F2}; median fetch speed keys on / off = {fetchRatio:F2} (target >= 0.8)");
            await plain.StopAsync(TimeSpan.FromSeconds(30));
            await keyed.StopAsync(TimeSpan.FromSeconds(30));
            Console.Error.WriteLine($"keys: keyed server {keyed.StopLine}");
            return new KeysResult(notes, writeNotes, results, writeRatio, fetchRatio);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    private static async Task<(double Write, double Fetch, long Fetched)> RoundAsync(ServerProcess server, ClientKey? key, int writeNotes)
    {
        var options = new JournalClientOptions { Name = "bench", GiveUpAfter = TimeSpan.FromSeconds(30), MaxDatagramsPerSecond = 0 };
        await using var client = key is null
            ? new JournalClient(server.EndPoint, options)
            : new JournalClient(server.EndPoint, new SealedDatagramTransport(new UdpDatagramTransport(server.EndPoint), key), options);
        var text = new string('x', 100);
        var watch = Stopwatch.StartNew();
        var summary = await client.WriteAsync(Notes(writeNotes, text));
        var write = watch.Elapsed.TotalSeconds;
        if (summary.Stored != writeNotes) throw server.Failed($"stored {summary.Stored} of {writeNotes} notes");
        watch.Restart();
        long fetched = 0;
        await foreach (var _ in client.HistoryAsync(HistoryFilter.None)) fetched++;
        return (write, watch.Elapsed.TotalSeconds, fetched);
    }

    private static async IAsyncEnumerable<string> Notes(int count, string text)
    {
        for (var i = 0; i < count; i++) yield return text;
        await Task.CompletedTask;
    }
}
