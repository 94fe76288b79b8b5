using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetJournal.Bench.Data;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Bench;

internal sealed record LoadResult(
    int Writers, int NotesPerWriter, int NoteBytes,
    long Acknowledged, long NotStored, int WritersFailed, IReadOnlyList<WriterExit> WriterExits,
    double Seconds, double NotesPerSecond, double PayloadMiBPerSecond, double BulkFlowingAfterSeconds,
    ulong ServerNotesAfter, double ServerCpuSeconds, double ServerCpuMicrosPerNote, MemorySample ServerMemoryAfter,
    LatencySummary InteractiveDuringLoad, LatencySummary InteractiveAllWritersRunning, int InteractiveDiscarded,
    long InteractiveNotStored, long InteractiveRetransmissions,
    LatencySummary ProbeAppendDuringLoad, LatencySummary ProbeCountDuringLoad, int ProbeLost,
    LatencySummary Fsync, LatencySummary LoopbackRtt, double FloorMs, double MedianRatio, double P99Ratio)
{
    /// <summary>The bulk notes' acknowledgement latency, every writer's `--stats-json` histogram added up; null if some printed none.</summary>
    public LatencySummary? BulkAckLatency { get; init; }

    /// <summary>Retransmissions of all bulk writers together.</summary>
    public long? BulkRetransmissions { get; init; }

    public string? ServerStopLine { get; init; }

    /// <summary>The server's --max-batch, or null for its default.</summary>
    public int? MaxBatch { get; init; }
}

/// <summary>
/// `load W M [B]`: W real `netjournal write` processes, each reading M notes of 100 bytes from a pre-generated file on
/// standard input, against a real server process; timed from starting the first process to the last one exiting.
/// Meanwhile an interactive client in this process writes one note at a time, and only round trips that start after
/// the bulk notes flow and end before the last writer exits are kept. Between its notes, a <see cref="ServerProbe"/>
/// sends a note and a count without the client library, to show where the time goes. For scale: the disk's fsync
/// latency and the loopback round trip.
/// </summary>
internal static class LoadBench
{
    public const int NoteBytes = 100;
    private const int MaxInteractive = 20_000;
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(4);

    public static async Task<LoadResult> RunAsync(int writers, int perWriter, int? maxBatch = null)
    {
        var dir = RepoPaths.NewTempDirectory("load");
        try
        {
            var fsync = MeasureFsync(dir, 500);
            Console.Error.WriteLine($"load: fsync median {fsync.MedianMs:F3} ms (p99 {fsync.P99Ms:F3})");
            var rtt = MeasureLoopbackRtt(2000);
            Console.Error.WriteLine($"load: loopback UDP RTT median {rtt.MedianMs * 1000:F1} µs (p99 {rtt.P99Ms * 1000:F1})");

            var inputs = new List<string>();
            for (var w = 0; w < writers; w++)
            {
                var file = Path.Combine(dir, $"writer-{w:00}.txt");
                File.WriteAllLines(file, Texts(w, perWriter), new UTF8Encoding(false));
                inputs.Add(file);
            }
            var data = Directory.CreateDirectory(Path.Combine(dir, "data")).FullName;
            await using var server = maxBatch is { } b ? ServerProcess.Start(RepoPaths.BuiltCliDll, data, IPAddress.Loopback, 0, "--max-batch", b.ToString(System.Globalization.CultureInfo.InvariantCulture)) : ServerProcess.Start(RepoPaths.BuiltCliDll, data, IPAddress.Loopback);
            var (_, initial) = await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(1));
            using var cts = new CancellationTokenSource(LoadTimeout);
            await using var interactive = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "interactive", GiveUpAfter = TimeSpan.FromSeconds(30) });
            // One round trip first, so the interactive client's timer and the server's path are warm.
            await interactive.WriteAsync("interactive warm-up", cts.Token);
            // A server that has been running: appends for 3 s (rounds of 10,000 notes, a tenth of a second apart, at
            // most 40), long enough for it to recompile its hot code (it starts a second after the last new method).
            var warmUp = Stopwatch.StartNew();
            var warmNotes = 0;
            await using (var warm = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "warm-up", GiveUpAfter = TimeSpan.FromSeconds(30) }))
            {
                var texts = Texts(99, 10_000);
                for (var round = 0; round < 40 && warmUp.Elapsed < TimeSpan.FromSeconds(3); round++, warmNotes += texts.Length)
                {
                    await warm.WriteAsync(texts.ToAsyncEnumerable(), null, cts.Token);
                    await Task.Delay(100, cts.Token);
                }
            }
            await server.WaitIdleAsync(TimeSpan.FromSeconds(10));
            Console.Error.WriteLine($"load: server warmed up with {warmNotes:N0} notes in {warmUp.Elapsed.TotalSeconds:F1} s");
            var baseline = (await interactive.CountAsync(HistoryFilter.None, 0, cts.Token)).TotalNotes;
            var cpuBefore = server.CpuSeconds();
            Console.Error.WriteLine($"load: {writers} `netjournal write` processes x {perWriter:N0} notes of {NoteBytes} bytes from files on stdin, interactive notes beside them");

            using var procs = WriterProcesses.Start(server.EndPoint, inputs, "load-writer");
            var bulkSeconds = procs.AllExited.ContinueWith(_ => procs.Elapsed.TotalSeconds, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var anyExited = procs.AnyExited;

            // Wait (bounded) until the writers' notes reach the server: before that the server is idle, which is not what is measured.
            var flowingAfter = double.NaN;
            while (!bulkSeconds.IsCompleted && !cts.IsCancellationRequested)
            {
                var c = await interactive.CountAsync(HistoryFilter.None, 0, cts.Token);
                if (c.TotalNotes >= baseline + 1000)
                {
                    flowingAfter = procs.Elapsed.TotalSeconds;
                    break;
                }
                await Task.Delay(5, cts.Token);
            }

            using var probe = new ServerProbe(server.EndPoint);
            var probeAppends = new List<double>();
            var probeCounts = new List<double>();
            var during = new List<double>();
            var allRunning = new List<double>();
            var discarded = 0;
            long interactiveNotStored = 0, interactiveSent = 0;
            for (var i = 0; i < MaxInteractive && !bulkSeconds.IsCompleted && !cts.IsCancellationRequested; i++)
            {
                // Of every four round trips, two are the library's note, one the probe's note and one the probe's count.
                if (i % 2 == 1)
                {
                    var probed = i % 4 == 1 ? probe.AppendMs($"probe note {i} 交互 {new string('x', 60)}") : probe.CountMs();
                    if (probed is { } p && !bulkSeconds.IsCompleted) (i % 4 == 1 ? probeAppends : probeCounts).Add(p);
                    continue;
                }
                var sent = Stopwatch.GetTimestamp();
                var outcome = await interactive.WriteAsync($"interactive note {i + 1} 交互 {new string('x', 60)}", cts.Token);
                var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                interactiveSent++;
                if (!outcome.IsStored) interactiveNotStored++;
                // Kept only if the bulk load was still running when the acknowledgement came.
                if (bulkSeconds.IsCompleted)
                {
                    discarded++;
                    continue;
                }
                during.Add(ms);
                if (!anyExited.IsCompleted) allRunning.Add(ms);
            }
            var exits = await procs.WaitAsync(LoadTimeout);
            var seconds = await bulkSeconds;
            var cpu = server.CpuSeconds() - cpuBefore;
            var memory = server.Memory();
            var failed = exits.Count(e => e.ExitCode != 0);
            var acknowledged = (long)(writers - failed) * perWriter;
            var count = await interactive.CountAsync(HistoryFilter.None, 0, cts.Token);
            var bulkStored = (long)count.TotalNotes - (long)baseline - (interactiveSent - interactiveNotStored) - probe.Stored;
            var notStored = (long)writers * perWriter - bulkStored;
            var duringSummary = LatencySummary.Of(during);
            var allSummary = LatencySummary.Of(allRunning);
            var floor = fsync.MedianMs + rtt.MedianMs;
            foreach (var e in exits.Where(e => e.ExitCode != 0)) Console.Error.WriteLine($"load: writer {e.Writer} exited {e.ExitCode}: {e.StderrTail}");
            Console.Error.WriteLine($"load: {writers * (long)perWriter:N0} notes, {writers - failed} writers exited 0, in {seconds:F2} s = {writers * (long)perWriter / seconds:N0} notes/s; server stored {bulkStored:N0}; bulk notes flowing after {flowingAfter:F2} s");
            var probeAppend = LatencySummary.Of(probeAppends);
            var probeCount = LatencySummary.Of(probeCounts);
            Console.Error.WriteLine($"load: without the client library: a note median {probeAppend.MedianMs:F2} ms, p99 {probeAppend.P99Ms:F2}; a count (no fsync) median {probeCount.MedianMs:F2} ms, p99 {probeCount.P99Ms:F2}; {probe.Lost} lost");
            Console.Error.WriteLine($"load: interactive while the bulk load ran ({during.Count}, {discarded} discarded) median {duringSummary.MedianMs:F2} ms, p99 {duringSummary.P99Ms:F2}; with all {writers} running ({allRunning.Count}) median {allSummary.MedianMs:F2} ms");
            var result = new LoadResult(writers, perWriter, NoteBytes, acknowledged, notStored, failed, exits,
                seconds, acknowledged / seconds, acknowledged * (double)NoteBytes / 1048576 / seconds, flowingAfter,
                count.TotalNotes, cpu, cpu * 1e6 / Math.Max(1, bulkStored), memory,
                duringSummary, allSummary, discarded, interactiveNotStored, interactive.Retransmissions, probeAppend, probeCount, probe.Lost,
                fsync, rtt, floor, duringSummary.MedianMs / floor, duringSummary.P99Ms / floor);
            await server.StopAsync(TimeSpan.FromSeconds(30));
            // The spread of exit times shows a writer held up by a lost datagram's timer; the counters show why.
            Console.Error.WriteLine($"load: writers exited after {string.Join(", ", exits.Select(e => e.ExitedAfterSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} s");
            Console.Error.WriteLine($"load: server {server.StopLine}");
            var bulk = BulkStats(exits);
            if (bulk.Latency is { } bl) Console.Error.WriteLine($"load: bulk notes acknowledged after: median {bl.MedianMs:F2} ms, p99 {bl.P99Ms:F2}, p99.9 {bl.P999Ms:F2}, max {bl.MaxMs:F2}; {bulk.Retransmissions} retransmissions");
            return result with { ServerStopLine = server.StopLine, MaxBatch = maxBatch, BulkAckLatency = bulk.Latency, BulkRetransmissions = bulk.Retransmissions };
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>Every writer's latency histogram and retransmissions added up; nulls unless every writer reported them.</summary>
    private static (LatencySummary? Latency, long? Retransmissions) BulkStats(IReadOnlyList<WriterExit> exits)
    {
        if (exits.Any(e => e.Stats is null)) return (null, null);
        var all = new LatencyHistogram();
        foreach (var e in exits) all.Add(e.Stats!.AckLatency);
        return (LatencySummary.Of(all), exits.Sum(e => e.Stats!.Retransmissions));
    }

    /// <summary>Notes of exactly <see cref="NoteBytes"/> UTF-8 bytes, prepared before the clock starts.</summary>
    internal static string[] Texts(int writer, int count)
    {
        var rng = new Random(1000 + writer);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var prefix = $"w{writer:00} n{i:000000} ";
            texts[i] = prefix + NoteCorpus.Text(rng, NoteBytes - Encoding.UTF8.GetByteCount(prefix), withMarker: false);
        }
        return texts;
    }

    /// <summary>Append 100 bytes and fsync (FileStream.Flush(true)), as the journal does per group commit.</summary>
    public static LatencySummary MeasureFsync(string directory, int rounds)
    {
        var path = Path.Combine(directory, "fsync-probe.bin");
        var payload = new byte[100];
        var samples = new List<double>(rounds);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            for (var i = 0; i < rounds + 10; i++)
            {
                var start = Stopwatch.GetTimestamp();
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
                if (i >= 10) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        finally
        {
            File.Delete(path);
        }
        return LatencySummary.Of(samples);
    }

    /// <summary>Round trips of a 100-byte datagram to an echo socket on 127.0.0.1 (blocking calls, dedicated thread).</summary>
    public static LatencySummary MeasureLoopbackRtt(int rounds)
    {
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        echo.ReceiveTimeout = 2000;
        var thread = new Thread(() =>
        {
            var buffer = new byte[2048];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                while (true)
                {
                    var n = echo.ReceiveFrom(buffer, ref from);
                    if (n == 1) return;
                    echo.SendTo(buffer.AsSpan(0, n), SocketFlags.None, from);
                }
            }
            catch (SocketException)
            {
                // Timed out: the measuring side is gone.
            }
        })
        { IsBackground = true, Name = "bench-echo" };
        thread.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(echo.LocalEndPoint!);
        client.ReceiveTimeout = 2000;
        var payload = new byte[100];
        var reply = new byte[2048];
        var samples = new List<double>(rounds);
        for (var i = 0; i < rounds + 200; i++)
        {
            var start = Stopwatch.GetTimestamp();
            client.Send(payload);
            client.Receive(reply);
            if (i >= 200) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        client.Send(new byte[1]);
        thread.Join(TimeSpan.FromSeconds(5));
        return LatencySummary.Of(samples);
    }
}
