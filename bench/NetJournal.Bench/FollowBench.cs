using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Testing;

namespace NetJournal.Bench;

/// <summary>The figures of `bench follow`.</summary>
internal sealed record FollowResult(
    int Followers, int Writers, int NotesPerRound, LatencySummary Delay, double ServerCpuWithout, double ServerCpuWith, double CpuMsPerFollowerSecond,
    int CanaryNotes, int CanaryFollowers, int CanaryReconnects, long CanaryMissing, long CanaryDoubled, long CanaryOutOfOrder);

/// <summary>
/// F followers (JournalClients in this process, each its own socket) and W writers of typed notes on loopback against a
/// real server process: the delay from a note's acknowledgement (the writer's await returning) to each follower
/// receiving it, on one clock; the server's CPU with the followers and, round by round in turn, without them (from
/// /proc), per follower; then a canary: a writer stamping numbered notes while followers drop and follow again from
/// their last seq and the server restarts, every follower's notes checked for missing, doubled and out-of-order ones.
/// </summary>
internal static class FollowBench
{
    public static async Task<FollowResult> RunAsync(int followers, int writers, int notesPerWriter, int rounds)
    {
        var dir = RepoPaths.NewTempDirectory("follow");
        try
        {
            var data = Directory.CreateDirectory(Path.Combine(dir, "data")).FullName;
            var server = ServerProcess.Start(RepoPaths.BuiltCliDll, data, IPAddress.Loopback, 0, "--rate-limit", "0");
            await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(1));
            var clock = Stopwatch.StartNew();
            var delays = new List<double>();
            double without = 0, with = 0, withSeconds = 0;
            for (var round = 0; round < rounds; round++)
            {
                // Turns: a round without followers, then one with them, the same writes.
                without += (await WriteRoundAsync(server, writers, notesPerWriter, clock, null)).Cpu;
                var acked = new ConcurrentDictionary<ulong, double>();
                var received = new ConcurrentBag<(ulong Seq, double AtMs)>();
                using var stop = new CancellationTokenSource();
                var clients = Enumerable.Range(0, followers).Select(i => new JournalClient(server.EndPoint, new JournalClientOptions { Name = $"f{i}" })).ToList();
                var from = await NewestSeqAsync(server);
                var follows = clients.Select(c => FollowAsync(c, FollowStart.After(from), stop.Token, e => received.Add((e.Seq, clock.Elapsed.TotalMilliseconds)))).ToList();
                // Time for every follower to register; a note stored before one has would reach it by history all the same.
                await Task.Delay(TimeSpan.FromSeconds(3));
                var (cpu, seconds) = await WriteRoundAsync(server, writers, notesPerWriter, clock, acked);
                with += cpu;
                withSeconds += seconds;
                var expected = (long)writers * notesPerWriter * followers;
                var deadline = Stopwatch.StartNew();
                while (received.Count < expected && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
                await stop.CancelAsync();
                await Task.WhenAll(follows);
                foreach (var c in clients) await c.DisposeAsync();
                foreach (var (seq, at) in received)
                {
                    if (acked.TryGetValue(seq, out var ackAt)) delays.Add(at - ackAt);
                }
                Console.Error.WriteLine($"follow: round {round + 1}: {received.Count:N0} of {expected:N0} notes received by {followers} followers");
            }
            // CPU milliseconds per second of writing, per follower: a thousandth of a core each.
            var perFollower = (with - without) / withSeconds * 1000 / followers;
            var delay = LatencySummary.Of(delays);
            Console.Error.WriteLine($"follow: delay from acknowledgement to a follower, median {delay.MedianMs:F2} ms, p99 {delay.P99Ms:F2} ms ({delay.Count:N0} samples)");
            Console.Error.WriteLine($"follow: server CPU per round {without / rounds:F3} s without followers, {with / rounds:F3} s with {followers}");

            var canary = await CanaryAsync(server, data, followers: 20, notes: 2_000);
            server = canary.Server;
            await server.DisposeAsync();
            // The rounds last as long as the writes take; per follower per second of writing.
            Console.Error.WriteLine($"follow: server CPU per follower {perFollower:F3} ms a second ({perFollower / 10:F4}% of a core)");
            return new FollowResult(followers, writers, writers * notesPerWriter, delay, without / rounds, with / rounds, perFollower,
                canary.Notes, canary.Followers, canary.Reconnects, canary.Missing, canary.Doubled, canary.OutOfOrder);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>W writers each write their notes one at a time (typed notes, 5 ms apart); returns the server CPU seconds it took.</summary>
    private static async Task<(double Cpu, double Seconds)> WriteRoundAsync(ServerProcess server, int writers, int perWriter, Stopwatch clock, ConcurrentDictionary<ulong, double>? acked)
    {
        var cpu = server.CpuSeconds();
        var took = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            await using var writer = new JournalClient(server.EndPoint, new JournalClientOptions { Name = $"writer{w}" });
            for (var i = 0; i < perWriter; i++)
            {
                var outcome = await writer.WriteAsync($"writer {w} note {i} " + new string('x', 60));
                if (outcome.IsStored) acked?.TryAdd(outcome.Seq, clock.Elapsed.TotalMilliseconds);
                await Task.Delay(5);
            }
        }));
        return (server.CpuSeconds() - cpu, took.Elapsed.TotalSeconds);
    }

    private static async Task<ulong> NewestSeqAsync(ServerProcess server)
    {
        await using var client = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "count" });
        return (await client.CountAsync(HistoryFilter.None)).EndSeq;
    }

    private static async Task FollowAsync(JournalClient client, FollowStart start, CancellationToken stop, Action<FollowEvent> onNote)
    {
        try
        {
            await foreach (var e in client.FollowAsync(HistoryFilter.None, start, stop))
            {
                if (e.Kind == FollowEventKind.Note) onNote(e);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record CanaryResult(ServerProcess Server, int Notes, int Followers, int Reconnects, long Missing, long Doubled, long OutOfOrder);

    /// <summary>
    /// A writer stamps notes "canary N" while each follower drops its follow every ~300 notes and follows again strictly
    /// after the last seq it had, and the server is restarted (SIGTERM, same port and journal) halfway.
    /// </summary>
    private static async Task<CanaryResult> CanaryAsync(ServerProcess server, string data, int followers, int notes)
    {
        var start = await NewestSeqAsync(server);
        var seen = Enumerable.Range(0, followers).Select(_ => new List<string>()).ToArray();
        var reconnects = 0;
        using var stop = new CancellationTokenSource();
        var written = 0;
        var runs = Enumerable.Range(0, followers).Select(async f =>
        {
            var after = start;
            while (!stop.IsCancellationRequested)
            {
                await using var client = new JournalClient(server.EndPoint, new JournalClientOptions { Name = $"canary-follower{f}", GiveUpAfter = TimeSpan.FromSeconds(30) });
                using var leg = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                var taken = 0;
                try
                {
                    await foreach (var e in client.FollowAsync(HistoryFilter.None, FollowStart.After(after), leg.Token))
                    {
                        if (e.Kind != FollowEventKind.Note) continue;
                        lock (seen[f]) seen[f].Add(e.Note!.Text);
                        after = e.Seq;
                        // Each follower leaves now and then and follows again from its cursor, as a script with --after would.
                        if (++taken >= 250 + 25 * f) break;
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (JournalUnavailableException)
                {
                }
                Interlocked.Increment(ref reconnects);
            }
        }).ToList();
        var current = server;
        await using (var writer = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "canary", GiveUpAfter = TimeSpan.FromSeconds(30) }))
        {
            for (var i = 1; i <= notes; i++)
            {
                if (i == notes / 2)
                {
                    await current.StopAsync(TimeSpan.FromSeconds(30));
                    current = ServerProcess.Start(RepoPaths.BuiltCliDll, data, IPAddress.Loopback, server.Port, "--rate-limit", "0");
                    await current.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(1));
                }
                var outcome = await writer.WriteAsync($"canary {i}");
                if (!outcome.IsStored) throw new InvalidOperationException($"canary {i} was not stored: {outcome.Error}");
                written++;
                if (i % 4 == 0) await Task.Delay(1);
            }
        }
        var deadline = Stopwatch.StartNew();
        while (seen.Any(s => { lock (s) return s.Count(t => t.StartsWith("canary ", StringComparison.Ordinal)) < notes; }) && deadline.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
        long missing = 0, doubled = 0, outOfOrder = 0;
        foreach (var s in seen)
        {
            var numbers = s.Where(t => t.StartsWith("canary ", StringComparison.Ordinal)).Select(t => int.Parse(t[7..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            missing += notes - numbers.Distinct().Count();
            doubled += numbers.Count - numbers.Distinct().Count();
            for (var i = 1; i < numbers.Count; i++) if (numbers[i] <= numbers[i - 1]) outOfOrder++;
        }
        Console.Error.WriteLine($"follow: canary {written:N0} notes, {followers} followers, {reconnects} reconnects and a server restart: {missing} missing, {doubled} doubled, {outOfOrder} out of order");
        return new CanaryResult(current, notes, followers, reconnects, missing, doubled, outOfOrder);
    }
}
