using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NetJournal.Bench.Data;
using NetJournal.Bench.Infra;
using NetJournal.Storage;

namespace NetJournal.Bench;

/// <summary>One setting of `remote`: a bulk write and a whole-history read by `netjournal` processes in the other namespace.</summary>
internal sealed record RemoteRun(
    string Setting, string ServerArguments, string ClientArguments,
    long WriteNotes, int WriteExitCode, double WriteSeconds, long WriteStored, long WriteRetransmissions, LatencySummary? WriteAckLatency,
    long HistoryNotes, int HistoryExitCode, double HistorySeconds, long HistoryLines,
    long RateLimited, string? StopLine)
{
    public double WriteNotesPerSecond => WriteStored / WriteSeconds;
    public double HistoryNotesPerSecond => HistoryLines / HistorySeconds;
}

internal sealed record RemoteResult(string Path, long JournalNotes, IReadOnlyList<RemoteRun> Runs);

/// <summary>
/// `remote N M`: a client on another machine, as near as one machine gets. The server listens on one end of a veth pair;
/// `netjournal` processes in a network namespace of their own, at the other end, write M notes of 100 bytes from standard
/// input (`write --stats-json`) and then print the whole history (N + M notes, `history --all --format json > file`).
/// Not on loopback, the client packs at most 1,232 bytes into a datagram and asks for pages of 1,232 bytes, so both need
/// many datagrams, and the server's per-source rate limit is what they meet. Run with the defaults, and with the
/// former default limit and no client pacing (server `--rate-limit 2000`, client `--max-rate 0`); a page request with a
/// token counts as a quarter of a datagram in both.
/// </summary>
internal static partial class RemoteBench
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    public static async Task<RemoteResult> RunAsync(long journalNotes, int writeNotes)
    {
        using var ns = RemoteNamespace.Create();
        var dir = RepoPaths.NewTempDirectory("remote");
        try
        {
            Console.Error.WriteLine($"remote: namespace {ns.Name} ({ns.RemoteAddress}) → server on {ns.HostAddress}");
            var seed = Path.Combine(dir, "seed");
            Directory.CreateDirectory(seed);
            var journal = JournalGenerator.Write(seed, journalNotes);
            var input = Path.Combine(dir, "notes.txt");
            File.WriteAllLines(input, LoadBench.Texts(0, writeNotes), new UTF8Encoding(false));

            var runs = new List<RemoteRun>();
            foreach (var (setting, serverArgs, clientArgs) in new (string, string[], string[])[]
                     {
                         ("defaults", [], []),
                         ("the former default limit, an unpaced client", ["--rate-limit", "2000"], ["--max-rate", "0"]),
                     })
            {
                var data = Path.Combine(dir, $"data-{runs.Count}");
                Directory.CreateDirectory(data);
                File.Copy(journal.Path, Path.Combine(data, JournalStore.FileName));
                runs.Add(await RunOneAsync(ns, data, input, journalNotes, writeNotes, setting, serverArgs, clientArgs));
            }
            return new RemoteResult($"veth {ns.RemoteAddress} → {ns.HostAddress}", journalNotes, runs);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    private static async Task<RemoteRun> RunOneAsync(RemoteNamespace ns, string data, string input, long journalNotes, int writeNotes,
        string setting, string[] serverArgs, string[] clientArgs)
    {
        await using var server = ServerProcess.Start(RepoPaths.BuiltCliDll, data, ns.HostAddress, 0, serverArgs);
        await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(2));
        var target = $"{ns.HostAddress}:{server.EndPoint.Port}";
        string[] cli = RepoPaths.CliCommand;

        var (writeCode, writeSeconds, writeErr) = await RunAsync(ns.Shell("f=$1; shift; exec \"$@\" < \"$f\" > /dev/null",
            [input, .. cli, "write", "--server", target, "--name", "remote", "--stats-json", "--timeout", "60", .. clientArgs]));
        var statsLine = writeErr.Split('\n').FirstOrDefault(l => l.StartsWith('{'));
        var stats = statsLine is null ? null : WriterStats.Parse(statsLine);
        Console.Error.WriteLine($"remote [{setting}]: write of {writeNotes:N0} notes exited {writeCode} after {writeSeconds:F2} s: {stats?.Stored ?? 0:N0} stored, {stats?.Retransmissions ?? 0:N0} retransmissions");

        var output = Path.Combine(data, "history.jsonl");
        var (historyCode, historySeconds, historyErr) = await RunAsync(ns.Shell("f=$1; shift; exec \"$@\" > \"$f\"",
            [output, .. cli, "history", "--server", target, "--all", "--format", "json", "--timeout", "60", .. clientArgs]));
        var lines = File.Exists(output) ? MemoryBench.CountLines(output) : 0;
        Console.Error.WriteLine($"remote [{setting}]: history --all exited {historyCode} after {historySeconds:F2} s: {lines:N0} notes{(historyCode != 0 ? ": " + historyErr.Trim() : "")}");

        await server.StopAsync(TimeSpan.FromSeconds(30));
        var stop = server.StopLine;
        var limited = stop is not null && RateLimitedPattern().Match(stop) is { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        Console.Error.WriteLine($"remote [{setting}]: server {stop}");
        return new RemoteRun(setting, string.Join(' ', serverArgs), string.Join(' ', clientArgs),
            writeNotes, writeCode, writeSeconds, stats?.Stored ?? 0, stats?.Retransmissions ?? 0, stats is null ? null : LatencySummary.Of(stats.AckLatency),
            journalNotes + writeNotes, historyCode, historySeconds, lines, limited, stop);
    }

    private static async Task<(int Code, double Seconds, string Error)> RunAsync(ProcessStartInfo info)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start ip netns exec");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"a remote client ran past {StepTimeout.TotalMinutes:0} minutes: {string.Join(' ', info.ArgumentList)}");
        }
        var seconds = watch.Elapsed.TotalSeconds;
        await output;
        return (process.ExitCode, seconds, await error);
    }

    [GeneratedRegex(@"rateLimited=(\d+)")]
    private static partial Regex RateLimitedPattern();
}
