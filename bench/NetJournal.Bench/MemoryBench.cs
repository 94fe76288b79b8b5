using System.Diagnostics;
using NetJournal.Bench.Data;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Bench;

internal sealed record FetchResult(long Notes, double Seconds, double NotesPerSecond, double WireMiB, double MiBPerSecond, long Retransmissions);

internal sealed record MemoryRun(
    long Notes, double FileMiB, double GenerateSeconds, long WithDedupFields,
    double StartToFirstAnswerMs, long? ServerOpenedInMs,
    MemorySample AfterStart, FetchResult Fetch, MemorySample AfterFetch,
    string GrepQuery, long GrepExpected, CountTiming GrepCountPatient, CountTiming GrepCount, FetchResult Grep, MemorySample AfterGrep,
    int ExitCode, double StopSeconds);

/// <summary>One CountRequest: how long until answered, and how often the client sent it again meanwhile.</summary>
internal sealed record CountTiming(double Seconds, long Retransmissions, ulong Matched, double ServerCpuSeconds);

internal sealed record MemoryRatios(double Notes, double StartToFirstAnswer, double ServerOpenedIn, double RssAfterStart, double HwmAfterFetch, double FetchSeconds, double GrepCountPatientSeconds, double GrepCountSeconds, double GrepSeconds, double MarginalRssBytesPerNote);

internal sealed record MemoryResult(IReadOnlyList<MemoryRun> Runs, MemoryRatios Ratios);

/// <summary>
/// `memory N`: a journal of N notes (then 2N) opened by a real server process: start-up time, resident memory after
/// start-up, after one client fetched the whole history, and after a grep query.
/// </summary>
internal static class MemoryBench
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMinutes(4);

    public static async Task<MemoryResult> RunAsync(long n)
    {
        var runs = new List<MemoryRun>();
        foreach (var notes in new[] { n, 2 * n }) runs.Add(await RunOnceAsync(notes));
        var (a, b) = (runs[0], runs[1]);
        var ratios = new MemoryRatios(
            (double)b.Notes / a.Notes,
            b.StartToFirstAnswerMs / a.StartToFirstAnswerMs,
            a.ServerOpenedInMs is > 0 && b.ServerOpenedInMs is { } bo ? (double)bo / a.ServerOpenedInMs.Value : double.NaN,
            b.AfterStart.RssMiB / a.AfterStart.RssMiB,
            b.AfterFetch.HwmMiB / a.AfterFetch.HwmMiB,
            b.Fetch.Seconds / a.Fetch.Seconds,
            b.GrepCountPatient.Seconds / a.GrepCountPatient.Seconds,
            b.GrepCount.Seconds / a.GrepCount.Seconds,
            b.Grep.Seconds / a.Grep.Seconds,
            (b.AfterStart.RssMiB - a.AfterStart.RssMiB) * 1024 * 1024 / (b.Notes - a.Notes));
        return new MemoryResult(runs, ratios);
    }

    private static async Task<MemoryRun> RunOnceAsync(long notes)
    {
        var dir = RepoPaths.NewTempDirectory("memory");
        try
        {
            Console.Error.WriteLine($"memory: generating {notes:N0} notes in {dir}");
            var journal = JournalGenerator.Write(dir, notes);
            Console.Error.WriteLine($"memory: {journal.Bytes / 1048576.0:F1} MiB in {journal.Seconds:F1} s; starting the server");
            await using var server = ServerProcess.Start(dir);
            var (ready, count) = await server.WaitUntilAnsweringAsync(StartTimeout);
            if (count.TotalNotes != (ulong)notes) throw server.Failed($"the server holds {count.TotalNotes} notes, expected {notes}");
            var openedIn = await server.OpenedInMillisAsync();
            var afterStart = server.Memory();
            Console.Error.WriteLine($"memory: answering after {ready.TotalMilliseconds:F0} ms (opened in {openedIn} ms), RSS {afterStart.RssMiB:F0} MiB");

            var fetch = await FetchAsync(server, HistoryFilter.None, notes);
            var afterFetch = server.Memory();
            Console.Error.WriteLine($"memory: fetched {fetch.Notes:N0} notes in {fetch.Seconds:F2} s, RSS {afterFetch.RssMiB:F0} MiB (peak {afterFetch.HwmMiB:F0})");

            // The grep's cost on the server: one count with a client that never retransmits, then one with the default client.
            var grepFilter = new HistoryFilter(Grep: NoteCorpus.GrepQuery);
            await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
            var patient = await CountAsync(server, grepFilter, new JournalClientOptions
            {
                Name = "bench-patient",
                InitialTimeout = TimeSpan.FromSeconds(60),
                MinTimeout = TimeSpan.FromSeconds(60),
                MaxTimeout = TimeSpan.FromSeconds(60),
                GiveUpAfter = TimeSpan.FromSeconds(120),
            });
            var counted = await CountAsync(server, grepFilter, new JournalClientOptions { Name = "bench-counter", GiveUpAfter = TimeSpan.FromSeconds(60) });
            Console.Error.WriteLine($"memory: grep count {patient.Seconds:F2} s ({patient.ServerCpuSeconds:F2} s server CPU) without retransmission; {counted.Seconds:F2} s ({counted.ServerCpuSeconds:F2} s server CPU) with the default client ({counted.Retransmissions} retransmissions)");
            var grep = await FetchAsync(server, grepFilter, journal.GrepMatches);
            var afterGrep = server.Memory();
            Console.Error.WriteLine($"memory: grep matched {grep.Notes:N0} in {grep.Seconds:F2} s, RSS {afterGrep.RssMiB:F0} MiB (peak {afterGrep.HwmMiB:F0})");

            var (exit, took) = await server.StopAsync(TimeSpan.FromSeconds(30));
            if (exit != 0) Console.Error.WriteLine($"warning: the server exited with code {exit}");
            return new MemoryRun(notes, journal.Bytes / 1048576.0, journal.Seconds, journal.WithDedupFields,
                ready.TotalMilliseconds, openedIn, afterStart, fetch, afterFetch,
                NoteCorpus.GrepQuery, journal.GrepMatches, patient, counted, grep, afterGrep, exit, took.TotalSeconds);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    private static async Task<CountTiming> CountAsync(ServerProcess server, HistoryFilter filter, JournalClientOptions options)
    {
        using var cts = new CancellationTokenSource(QueryTimeout);
        await using var client = new JournalClient(server.EndPoint, options);
        var cpu = server.CpuSeconds();
        var watch = Stopwatch.StartNew();
        var reply = await client.CountAsync(filter, 0, cts.Token);
        var seconds = watch.Elapsed.TotalSeconds;
        // Server CPU until it is idle again: includes scans of retransmitted copies answered after the first reply.
        await server.WaitIdleAsync(TimeSpan.FromSeconds(60));
        return new CountTiming(seconds, client.Retransmissions, reply.Matched, server.CpuSeconds() - cpu);
    }

    /// <summary>One client reads every matching note (HistoryAsync); checks order and count.</summary>
    private static async Task<FetchResult> FetchAsync(ServerProcess server, HistoryFilter filter, long expected)
    {
        using var cts = new CancellationTokenSource(QueryTimeout);
        await using var client = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "bench-reader", GiveUpAfter = TimeSpan.FromSeconds(30) });
        var watch = Stopwatch.StartNew();
        long count = 0, wireBytes = 0;
        ulong lastSeq = 0;
        await foreach (var note in client.HistoryAsync(filter, 0, cts.Token))
        {
            if (note.Seq <= lastSeq) throw server.Failed($"history out of order: #{note.Seq} after #{lastSeq}");
            lastSeq = note.Seq;
            count++;
            wireBytes += MessageCodec.NoteSize(note);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        if (count != expected) throw server.Failed($"history returned {count} notes, expected {expected}");
        var mib = wireBytes / 1048576.0;
        return new FetchResult(count, seconds, count / seconds, mib, mib / seconds, client.Retransmissions);
    }
}
