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
    long Acknowledged, long NotStored, long Retransmissions, double Seconds, double NotesPerSecond, double PayloadMiBPerSecond,
    ulong ServerNotesAfter, double ServerCpuSeconds, double ServerCpuMicrosPerNote, MemorySample ServerMemoryAfter,
    LatencySummary Interactive, LatencySummary InteractiveDuringLoad, LatencySummary InteractiveAfterLoad,
    long InteractiveNotStored, long InteractiveRetransmissions,
    LatencySummary Fsync, LatencySummary LoopbackRtt, double TargetRatio, double TargetRatioDuringLoad, double TargetRatioAfterLoad);

/// <summary>
/// `load W M`: W concurrent pipelined writers of M notes each against a real server process, with one interactive
/// writer (one note at a time) beside them; and, for scale, the disk's fsync latency and the loopback round trip.
/// </summary>
internal static class LoadBench
{
    public const int NoteBytes = 100;
    public const int InteractiveNotes = 200;
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(4);

    public static async Task<LoadResult> RunAsync(int writers, int perWriter)
    {
        var dir = RepoPaths.NewTempDirectory("load");
        try
        {
            var fsync = MeasureFsync(dir, 500);
            Console.Error.WriteLine($"load: fsync median {fsync.MedianMs:F3} ms (p99 {fsync.P99Ms:F3})");
            var rtt = MeasureLoopbackRtt(2000);
            Console.Error.WriteLine($"load: loopback UDP RTT median {rtt.MedianMs * 1000:F1} µs (p99 {rtt.P99Ms * 1000:F1})");

            var texts = Enumerable.Range(0, writers).Select(w => Texts(w, perWriter)).ToArray();
            await using var server = ServerProcess.Start(dir);
            await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(1));
            var cpuBefore = server.CpuSeconds();
            Console.Error.WriteLine($"load: {writers} writers x {perWriter:N0} notes of {NoteBytes} bytes, plus {InteractiveNotes} interactive notes");

            using var cts = new CancellationTokenSource(LoadTimeout);
            var clients = Enumerable.Range(0, writers)
                .Select(w => new JournalClient(server.EndPoint, new JournalClientOptions { Name = $"load-writer-{w:00}", GiveUpAfter = TimeSpan.FromSeconds(30) }))
                .ToArray();
            await using var interactive = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "interactive", GiveUpAfter = TimeSpan.FromSeconds(30) });
            // One round trip first, so the interactive client's timer and the server's path are warm.
            await interactive.WriteAsync("interactive warm-up", cts.Token);
            try
            {
                var watch = Stopwatch.StartNew();
                var bulk = Task.WhenAll(clients.Select((c, w) => c.WriteAsync(texts[w].ToAsyncEnumerable(), null, cts.Token)));
                var latencies = new List<double>(InteractiveNotes);
                var during = new List<double>(InteractiveNotes);
                var after = new List<double>(InteractiveNotes);
                long interactiveNotStored = 0;
                for (var i = 0; i < InteractiveNotes && !cts.IsCancellationRequested; i++)
                {
                    var loaded = !bulk.IsCompleted;
                    var sent = Stopwatch.GetTimestamp();
                    var outcome = await interactive.WriteAsync($"interactive note {i + 1} 交互 {new string('x', 60)}", cts.Token);
                    var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    latencies.Add(ms);
                    // A round trip counts as under load when the bulk writers were still running as it started.
                    (loaded ? during : after).Add(ms);
                    if (!outcome.IsStored) interactiveNotStored++;
                }
                var summaries = await bulk;
                var seconds = watch.Elapsed.TotalSeconds;
                var cpu = server.CpuSeconds() - cpuBefore;
                var memory = server.Memory();
                var acknowledged = summaries.Sum(s => s.Stored);
                var notStored = (long)writers * perWriter - acknowledged;
                var retransmissions = summaries.Sum(s => s.Retransmissions);
                var count = await interactive.CountAsync(HistoryFilter.None, 0, cts.Token);
                var interactiveSummary = LatencySummary.Of(latencies);
                var duringSummary = LatencySummary.Of(during);
                var afterSummary = LatencySummary.Of(after);
                var floor = fsync.MedianMs + rtt.MedianMs;
                var ratio = interactiveSummary.MedianMs / floor;
                Console.Error.WriteLine($"load: {acknowledged:N0} acknowledged in {seconds:F2} s = {acknowledged / seconds:N0} notes/s, {retransmissions} retransmissions, {notStored} not stored");
                Console.Error.WriteLine($"load: interactive (all {latencies.Count}) median {interactiveSummary.MedianMs:F2} ms, p99 {interactiveSummary.P99Ms:F2}, p99.9 {interactiveSummary.P999Ms:F2}; target ratio {ratio:F2}");
                Console.Error.WriteLine($"load: interactive while the bulk load ran ({during.Count}) median {duringSummary.MedianMs:F2} ms, max {duringSummary.MaxMs:F2}; after it ({after.Count}) median {afterSummary.MedianMs:F2} ms");
                var result = new LoadResult(writers, perWriter, NoteBytes, acknowledged, notStored, retransmissions, seconds, acknowledged / seconds,
                    acknowledged * (double)NoteBytes / 1048576 / seconds, count.TotalNotes, cpu, cpu * 1e6 / Math.Max(1, acknowledged), memory,
                    interactiveSummary, duringSummary, afterSummary, interactiveNotStored, interactive.Retransmissions,
                    fsync, rtt, ratio, duringSummary.MedianMs / floor, afterSummary.MedianMs / floor);
                var expectedTotal = (ulong)(acknowledged + latencies.Count - interactiveNotStored + 1);
                if (count.TotalNotes != expectedTotal)
                    Console.Error.WriteLine($"warning: the server holds {count.TotalNotes} notes, the clients saw {expectedTotal} acknowledged");
                await server.StopAsync(TimeSpan.FromSeconds(30));
                return result;
            }
            finally
            {
                foreach (var c in clients) await c.DisposeAsync();
            }
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>Notes of exactly <see cref="NoteBytes"/> UTF-8 bytes, prepared before the clock starts.</summary>
    private static string[] Texts(int writer, int count)
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
