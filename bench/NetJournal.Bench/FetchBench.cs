using System.Net;
using NetJournal.Bench.Data;
using NetJournal.Bench.Infra;
using NetJournal.Protocol;

namespace NetJournal.Bench;

/// <summary>
/// `fetch N R`: the history fetch of <c>memory</c> alone, repeated: a journal of N notes, one server, R full fetches by
/// one client (time, the CPU of server and client, the client's GC pauses), then one `netjournal history > file` per
/// format. For working on the history path without the whole memory run.
/// </summary>
internal static class FetchBench
{
    public static async Task<IReadOnlyList<FetchResult>> RunAsync(long notes, int rounds)
    {
        var dir = RepoPaths.NewTempDirectory("fetch");
        try
        {
            var journal = JournalGenerator.Write(dir, notes);
            Console.Error.WriteLine($"fetch: {notes:N0} notes, {journal.Bytes / 1048576.0:F1} MiB");
            // As in `memory`: the fetch path's own cost, without the per-source limit (the client still paces itself).
            await using var server = ServerProcess.Start(RepoPaths.BuiltCliDll, dir, IPAddress.Loopback, 0, "--rate-limit", "0");
            await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(3));
            await MemoryBench.WarmUpAsync(server, Math.Min(notes, 200_000), TimeSpan.Zero);
            var results = new List<FetchResult>();
            for (var round = 0; round < rounds; round++)
            {
                await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
                var pause = GC.GetTotalPauseDuration();
                var gen2 = GC.CollectionCount(2);
                var fetch = await MemoryBench.FetchAsync(server, HistoryFilter.None, notes);
                Console.Error.WriteLine($"fetch: client GC pauses {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms, {GC.CollectionCount(2) - gen2} gen2");
                results.Add(fetch);
                Console.Error.WriteLine($"fetch {round + 1}: {fetch.Seconds:F3} s, {fetch.MiBPerSecond:F1} MiB/s; CPU: server {fetch.ServerCpuSeconds:F2} s, client {fetch.ClientCpuSeconds:F2} s; {fetch.Retransmissions} retransmissions");
            }
            foreach (var format in new[] { "text", "json" })
            {
                await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
                var p = await MemoryBench.PrintAsync(server, format, dir);
                Console.Error.WriteLine($"fetch: `netjournal history --format {format} > file`: {p.Lines:N0} lines ({p.FileMiB:F0} MiB) in {p.Seconds:F2} s, exit {p.ExitCode}");
            }
            await server.StopAsync(TimeSpan.FromSeconds(30));
            Console.Error.WriteLine($"fetch: server {server.StopLine}");
            return results;
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }
}
