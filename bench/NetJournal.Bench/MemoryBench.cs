using System.Diagnostics;
using System.Net;
using NetJournal.Bench.Data;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Bench;

internal sealed record FetchResult(long Notes, double Seconds, double NotesPerSecond, double WireMiB, double MiBPerSecond, long Retransmissions,
    double ServerCpuSeconds, double ClientCpuSeconds)
{
    /// <summary>The notes' wire bytes, when this fetch counted them.</summary>
    public long? WireBytes { get; init; }

    /// <summary>Every timed round's seconds, on the result that stands for them (their median).</summary>
    public IReadOnlyList<double>? RoundSeconds { get; init; }

    /// <summary>The uncounted warm-up fetches before the timed rounds.</summary>
    public int? WarmUpFetches { get; init; }

    /// <summary>This fetch with the wire bytes another fetch of the same notes counted.</summary>
    public FetchResult WithWireBytes(long? bytes) => bytes is { } b
        ? this with { WireMiB = b / 1048576.0, MiBPerSecond = b / 1048576.0 / Seconds, WireBytes = b }
        : this;
}

/// <summary>`netjournal history [--format F] > file` by the published CLI: process start to exit, and what it wrote.</summary>
internal sealed record PrintResult(string Format, double Seconds, long Lines, double FileMiB, int ExitCode);

internal sealed record MemoryRun(
    long Notes, double FileMiB, double GenerateSeconds, long WithDedupFields,
    double StartToFirstAnswerMs, long? ServerOpenedInMs,
    MemorySample AfterStart, FetchResult Fetch, MemorySample AfterFetch, IReadOnlyList<PrintResult> Prints,
    string GrepQuery, long GrepExpected, CountTiming GrepCountPatient, CountTiming GrepCount, FetchResult Grep, MemorySample AfterGrep,
    AppendResult Append, int ExitCode, double StopSeconds);

/// <summary>
/// Appends into the journal of N notes: W pipelined in-process clients × M notes of 100 bytes, R rounds, taking turns
/// with the other journal's server. N → 2N compares round by round (the median of the R ratios).
/// </summary>
internal sealed record AppendResult(int Writers, int NotesPerWriter, int Rounds, IReadOnlyList<double> RoundNotesPerSecond, double BestNotesPerSecond,
    double MedianNotesPerSecond, long NotStored);

/// <summary>One CountRequest: how long until answered, and how often the client sent it again meanwhile.</summary>
internal sealed record CountTiming(double Seconds, long Retransmissions, ulong Matched, double ServerCpuSeconds);

internal sealed record MemoryRatios(double Notes, double StartToFirstAnswer, double ServerOpenedIn, double RssAfterStart, double HwmAfterFetch, double FetchSeconds, double GrepCountPatientSeconds, double GrepCountSeconds, double GrepSeconds, double MarginalRssBytesPerNote, double AppendNotesPerSecond);

internal sealed record MemoryResult(IReadOnlyList<MemoryRun> Runs, MemoryRatios Ratios);

/// <summary>
/// `memory N`: a journal of N notes (then 2N) opened by a real server process: start-up time, resident memory after
/// start-up, after one client fetched the whole history, and after a grep query.
/// </summary>
internal static class MemoryBench
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMinutes(4);

    public const int AppendWriters = 8;
    public const int FetchRounds = 5;
    public const int AppendRounds = 7;

    public static async Task<MemoryResult> RunAsync(long n, int appendPerWriter)
    {
        // Both servers stay up until the append rounds are done: those alternate between them, so the machine's drift
        // (it varies by 2x within a minute here) falls on both sides alike instead of on whichever ran second.
        var opened = new List<OpenedJournal>();
        try
        {
            foreach (var notes in new[] { n, 2 * n }) opened.Add(await MeasureAsync(notes));
            var appends = await AppendAlternatingAsync([.. opened.Select(o => o.Server)], appendPerWriter);
            var runs = new List<MemoryRun>();
            for (var i = 0; i < opened.Count; i++)
            {
                Console.Error.WriteLine($"memory: appending to {opened[i].Run.Notes:N0} notes: {string.Join(", ", appends[i].RoundNotesPerSecond.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} notes/s ({appends[i].NotStored} not stored)");
                var (exit, took) = await opened[i].Server.StopAsync(TimeSpan.FromSeconds(30));
                if (exit != 0) Console.Error.WriteLine($"warning: the server exited with code {exit}");
                runs.Add(opened[i].Run with { Append = appends[i], ExitCode = exit, StopSeconds = took.TotalSeconds });
            }
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
                (b.AfterStart.RssMiB - a.AfterStart.RssMiB) * 1024 * 1024 / (b.Notes - a.Notes),
                Median(a.Append.RoundNotesPerSecond.Zip(b.Append.RoundNotesPerSecond, (x, y) => y / x)));
            return new MemoryResult(runs, ratios);
        }
        finally
        {
            foreach (var o in opened)
            {
                await o.Server.DisposeAsync();
                RepoPaths.DeleteQuietly(o.Directory);
            }
        }
    }

    // The rounds are odd in number, so the nearest-rank median is the middle round.
    private static double Median(IEnumerable<double> values) => LatencySummary.Percentile([.. values.Order()], 0.5);

    /// <summary>A journal's server, left running for the append rounds, and what was measured on it so far.</summary>
    private sealed record OpenedJournal(ServerProcess Server, string Directory, MemoryRun Run);

    private static async Task<OpenedJournal> MeasureAsync(long notes)
    {
        var dir = RepoPaths.NewTempDirectory("memory");
        ServerProcess? started = null;
        try
        {
            Console.Error.WriteLine($"memory: generating {notes:N0} notes in {dir}");
            var journal = JournalGenerator.Write(dir, notes);
            Console.Error.WriteLine($"memory: {journal.Bytes / 1048576.0:F1} MiB in {journal.Seconds:F1} s; starting the server");
            // Every client here comes from 127.0.0.1 and so shares one per-source bucket: the eight appending clients
            // together (each paced at 8,000 datagrams/s) can pass the default 10,000, and a dropped datagram would be
            // measured as a 250 ms timeout. What is measured is the server's own cost, so the limit is off.
            var server = started = ServerProcess.Start(RepoPaths.BuiltCliDll, dir, IPAddress.Loopback, 0, "--rate-limit", "0");
            var (ready, count) = await server.WaitUntilAnsweringAsync(StartTimeout);
            if (count.TotalNotes != (ulong)notes) throw server.Failed($"the server holds {count.TotalNotes} notes, expected {notes}");
            var openedIn = await server.OpenedInMillisAsync();
            var afterStart = server.Memory();
            Console.Error.WriteLine($"memory: answering after {ready.TotalMilliseconds:F0} ms (opened in {openedIn} ms), RSS {afterStart.RssMiB:F0} MiB");

            // Both sides recompile their hot code as they run (the server's precompiled code is replaced after some
            // thousands of pages): 3 s of uncounted fetches of the latest notes first, as a server that has been running.
            var warm = await WarmUpAsync(server, Math.Min(notes, 200_000), TimeSpan.FromSeconds(3));
            // One uncounted full fetch checks every note and counts the wire bytes; the timed ones only count notes.
            await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
            var wireBytes = (await FetchAsync(server, HistoryFilter.None, notes, countBytes: true)).WireBytes;
            var rounds = new List<FetchResult>();
            for (var round = 0; round < FetchRounds; round++)
            {
                await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
                rounds.Add((await FetchAsync(server, HistoryFilter.None, notes, countBytes: false)).WithWireBytes(wireBytes));
            }
            var fetch = rounds.OrderBy(r => r.Seconds).ElementAt(FetchRounds / 2) with { RoundSeconds = [.. rounds.Select(r => r.Seconds)], WarmUpFetches = warm };
            var afterFetch = server.Memory();
            Console.Error.WriteLine($"memory: fetched {fetch.Notes:N0} notes in {fetch.Seconds:F2} s, the median of {string.Join(", ", fetch.RoundSeconds!.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} after {warm} warm-up fetches (CPU: server {fetch.ServerCpuSeconds:F2} s, client {fetch.ClientCpuSeconds:F2} s), RSS {afterFetch.RssMiB:F0} MiB (peak {afterFetch.HwmMiB:F0})");

            var prints = new List<PrintResult>();
            foreach (var format in new[] { "text", "json" })
            {
                await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
                var print = await PrintAsync(server, format, dir);
                prints.Add(print);
                Console.Error.WriteLine($"memory: `netjournal history --format {format} > file`: {print.Lines:N0} lines ({print.FileMiB:F0} MiB) in {print.Seconds:F2} s, exit {print.ExitCode}");
                if (print.ExitCode != 0 || print.Lines < notes) throw server.Failed($"history --format {format} printed {print.Lines} lines and exited {print.ExitCode}");
            }

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

            await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
            var run = new MemoryRun(notes, journal.Bytes / 1048576.0, journal.Seconds, journal.WithDedupFields,
                ready.TotalMilliseconds, openedIn, afterStart, fetch, afterFetch, prints,
                NoteCorpus.GrepQuery, journal.GrepMatches, patient, counted, grep, afterGrep, Append: null!, ExitCode: 0, StopSeconds: 0);
            return new OpenedJournal(server, dir, run);
        }
        catch
        {
            if (started is not null) await started.DisposeAsync();
            RepoPaths.DeleteQuietly(dir);
            throw;
        }
    }

    /// <summary>
    /// A warm-up round on each server, then <see cref="AppendRounds"/> rounds of <see cref="AppendWriters"/> pipelined
    /// clients × <paramref name="perWriter"/> notes of 100 bytes on each, alternating which goes first.
    /// </summary>
    private static async Task<AppendResult[]> AppendAlternatingAsync(ServerProcess[] servers, int perWriter)
    {
        using var cts = new CancellationTokenSource(QueryTimeout);
        var rates = servers.Select(_ => new List<double>()).ToArray();
        var notStored = new long[servers.Length];
        // Round -1 warms up (the benchmark's clients and the servers' append paths are compiled) and is not counted.
        for (var round = -1; round < AppendRounds; round++)
        {
            var order = Enumerable.Range(0, servers.Length);
            foreach (var i in round % 2 == 0 ? order : order.Reverse())
            {
                var (stored, seconds) = await AppendRoundAsync(servers[i], round, perWriter, cts.Token);
                notStored[i] += (long)AppendWriters * perWriter - stored;
                if (round >= 0) rates[i].Add(stored / seconds);
                await servers[i].WaitIdleAsync(TimeSpan.FromSeconds(30));
            }
        }
        return [.. rates.Select((r, i) => new AppendResult(AppendWriters, perWriter, AppendRounds, r, r.Max(), Median(r), notStored[i]))];
    }

    private static async Task<(long Stored, double Seconds)> AppendRoundAsync(ServerProcess server, int round, int perWriter, CancellationToken ct)
    {
        var texts = Enumerable.Range(0, AppendWriters).Select(w => AppendTexts(round, w, perWriter)).ToArray();
        var clients = Enumerable.Range(0, AppendWriters)
            .Select(w => new JournalClient(server.EndPoint, new JournalClientOptions { Name = $"append-{round}-{w}", GiveUpAfter = TimeSpan.FromSeconds(30) }))
            .ToArray();
        try
        {
            var watch = Stopwatch.StartNew();
            var summaries = await Task.WhenAll(clients.Select((c, w) => c.WriteAsync(texts[w].ToAsyncEnumerable(), null, ct)));
            return (summaries.Sum(x => x.Stored), watch.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    private static string[] AppendTexts(int round, int writer, int count)
    {
        var rng = new Random(500 + round * 100 + writer);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var prefix = $"a{round}{writer} n{i:000000} ";
            texts[i] = prefix + NoteCorpus.Text(rng, 100 - System.Text.Encoding.UTF8.GetByteCount(prefix), withMarker: false);
        }
        return texts;
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

    /// <summary>The published CLI prints the whole history to a file, as `netjournal history > notes.txt` would.</summary>
    internal static async Task<PrintResult> PrintAsync(ServerProcess server, string format, string dir)
    {
        var output = Path.Combine(dir, $"history.{format}");
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "-c", "f=$1; shift; exec \"$@\" > \"$f\"", "sh", output,
                 }.Concat(RepoPaths.CliCommand).Concat(
                 [
                     "history", "--server", $"127.0.0.1:{server.EndPoint.Port}", "--format", format, "--timeout", "60",
                 ]))
            info.ArgumentList.Add(arg);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(QueryTimeout);
        await process.WaitForExitAsync(cts.Token);
        var seconds = watch.Elapsed.TotalSeconds;
        var err = await errors;
        if (process.ExitCode != 0) Console.Error.WriteLine($"memory: history --format {format}: {err}");
        var lines = CountLines(output);
        var mib = new FileInfo(output).Length / 1048576.0;
        File.Delete(output);
        return new PrintResult(format, seconds, lines, mib, process.ExitCode);
    }

    /// <summary>The newlines in a file, read a MiB at a time.</summary>
    internal static long CountLines(string path)
    {
        long lines = 0;
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = file.Read(buffer)) > 0) lines += buffer.AsSpan(0, read).Count((byte)'\n');
        return lines;
    }

    /// <summary>Fetches of the latest <paramref name="lastN"/> notes, at least one, for <paramref name="time"/>; how many.</summary>
    internal static async Task<int> WarmUpAsync(ServerProcess server, long lastN, TimeSpan time)
    {
        using var cts = new CancellationTokenSource(QueryTimeout);
        await using var client = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "bench-warm-up", GiveUpAfter = TimeSpan.FromSeconds(30) });
        var watch = Stopwatch.StartNew();
        var fetches = 0;
        do
        {
            long count = 0;
            await foreach (var _ in client.HistoryAsync(HistoryFilter.None, (ulong)lastN, cts.Token)) count++;
            if (count != lastN) throw server.Failed($"the warm-up fetch returned {count} notes, expected {lastN}");
            fetches++;
        }
        while (watch.Elapsed < time);
        return fetches;
    }

    /// <summary>
    /// One client reads every matching note (HistoryAsync); checks order and count. <paramref name="countBytes"/> adds
    /// up the notes' wire bytes too, which costs the client a tenth of its time: timed fetches leave it out.
    /// </summary>
    internal static async Task<FetchResult> FetchAsync(ServerProcess server, HistoryFilter filter, long expected, bool countBytes = true)
    {
        using var cts = new CancellationTokenSource(QueryTimeout);
        await using var client = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "bench-reader", GiveUpAfter = TimeSpan.FromSeconds(30) });
        var serverCpu = server.CpuSeconds();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long count = 0, wireBytes = 0;
        ulong lastSeq = 0;
        await foreach (var note in client.HistoryAsync(filter, 0, cts.Token))
        {
            if (note.Seq <= lastSeq) throw server.Failed($"history out of order: #{note.Seq} after #{lastSeq}");
            lastSeq = note.Seq;
            count++;
            if (countBytes) wireBytes += MessageCodec.NoteSize(note);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var clientCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalSeconds;
        if (count != expected) throw server.Failed($"history returned {count} notes, expected {expected}");
        var mib = wireBytes / 1048576.0;
        return new FetchResult(count, seconds, count / seconds, mib, mib / seconds, client.Retransmissions, server.CpuSeconds() - serverCpu, clientCpuSeconds)
        {
            WireBytes = countBytes ? wireBytes : null,
        };
    }
}
