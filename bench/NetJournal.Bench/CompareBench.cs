using System.Diagnostics;
using System.Net;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Bench;

internal sealed record RawRun(int Senders, int DatagramBytes, SendResult Sent, ReceiveResult Received, long Lost, double LossPercent);

internal sealed record RawResult(int RequestedBuffer, int GrantedBuffer, IReadOnlyList<RawRun> Runs);

internal sealed record RateTrial(int Trial, double OfferedPerSecond, long Sent, double SentPerSecond, long SendErrors, long Delivered, long Lost, double DrainSeconds);

/// <summary>A bounded search for the highest paced rate a receiver takes without losing a datagram.</summary>
internal sealed record RateSearch(string Receiver, int Senders, double TrialSeconds, IReadOnlyList<RateTrial> Trials, RateTrial? Best, bool SenderLimited)
{
    public double BestPerSecond => Best?.SentPerSecond ?? 0;
}

internal sealed record CompareResult(
    int NoteBytes, int Senders, double TrialSeconds, RawResult Raw,
    string RsyslogVersion, string RsyslogConfig, RateSearch Rsyslog, int RsyslogExitCode,
    RateTrial? NetJournalAtRsyslogRate, RateSearch NetJournalPlain, string? NetJournalStopLine);

/// <summary>
/// `compare T`: the references NetJournal's targets are measured against, in the same run: the raw loopback UDP
/// limit (a minimal .NET receiver), a private rsyslogd with the tuned reference configuration, and NetJournal itself
/// taking the same 100-byte notes as plain-text datagrams (`--rate-limit 0`). Every send is bounded in count and time.
/// </summary>
internal static class CompareBench
{
    // Four sender threads: with two, rsyslog lost nothing at the fastest rate they reached in every round of a quiet
    // run (175,000-227,000/s), so its figure was the senders' limit, not its own; with four it loses above its limit.
    public const int Senders = 4;
    public const int HistoryDatagramBytes = 65_000;

    /// <summary>Offered rates (datagrams/s, all senders together), tried upwards until the first loss.</summary>
    private static readonly double[] Ladder = [50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 350_000, 400_000, 450_000];
    private const int RefineSteps = 2;

    private static int _trial;

    public static async Task<CompareResult> RunAsync(double trialSeconds)
    {
        var raw = MeasureRaw(trialSeconds);

        var dir = RepoPaths.NewTempDirectory("compare");
        try
        {
            RateSearch rsyslogSearch;
            string version;
            int rsyslogExit;
            using (var rsyslog = Rsyslog.Start(Directory.CreateDirectory(Path.Combine(dir, "rsyslog")).FullName))
            {
                version = rsyslog.Version;
                Console.Error.WriteLine($"compare: {version} listening on {rsyslog.EndPoint} with {Rsyslog.TunedConfig}");
                rsyslogSearch = await SearchAsync("rsyslog", trialSeconds, (offered, ct) => Task.FromResult(RsyslogTrial(rsyslog, offered, trialSeconds)));
                rsyslogExit = rsyslog.Stop();
            }

            var data = Directory.CreateDirectory(Path.Combine(dir, "netjournal")).FullName;
            await using var server = ServerProcess.Start(RepoPaths.BuiltCliDll, data, IPAddress.Loopback, 0, "--rate-limit", "0");
            await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(1));
            await using var counter = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "bench-counter", GiveUpAfter = TimeSpan.FromSeconds(30) });
            // NetJournal's own search first: like rsyslog's best rate, the trial at that rate then comes after a ramp from
            // 50,000/s, not as the first load a freshly started process sees.
            var plain = await SearchAsync("netjournal-plain", trialSeconds, (offered, _) => NetJournalTrialAsync(server, counter, offered, trialSeconds));
            RateTrial? atRsyslog = null;
            if (rsyslogSearch.Best is { } best)
            {
                // The rate rsyslog's senders achieved in its best clean trial (below the offered rate when they were the limit).
                var rate = Math.Round(best.SentPerSecond / 1000) * 1000;
                atRsyslog = await NetJournalTrialAsync(server, counter, rate, trialSeconds);
                Console.Error.WriteLine($"compare: NetJournal at rsyslog's zero-loss rate {rate:N0}/s: {Describe(atRsyslog)}");
            }
            await server.StopAsync(TimeSpan.FromSeconds(30));
            var stopLine = server.StopLine;
            if (stopLine is not null) Console.Error.WriteLine($"compare: NetJournal stop line: {stopLine}");
            return new CompareResult(UdpLoad.NoteBytes, Senders, trialSeconds, raw, version, Rsyslog.TunedConfig, rsyslogSearch, rsyslogExit, atRsyslog, plain, stopLine);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>NetJournal's plain-text trial at one rate, repeated: how often and how much a rate loses.</summary>
    public static async Task<IReadOnlyList<RateTrial>> RepeatPlainAsync(double offered, int trials, double trialSeconds)
    {
        var dir = RepoPaths.NewTempDirectory("plain");
        try
        {
            await using var server = ServerProcess.Start(RepoPaths.BuiltCliDll, dir, IPAddress.Loopback, 0, "--rate-limit", "0");
            await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(1));
            Console.Error.WriteLine($"plain: server pid {server.Pid} on {server.EndPoint}");
            await using var counter = new JournalClient(server.EndPoint, new JournalClientOptions { Name = "bench-counter", GiveUpAfter = TimeSpan.FromSeconds(30) });
            var results = new List<RateTrial>();
            for (var i = 0; i < trials; i++)
            {
                var t = await NetJournalTrialAsync(server, counter, offered, trialSeconds);
                results.Add(t);
                Console.Error.WriteLine($"plain: {DateTime.UtcNow:HH:mm:ss.fff} offered {offered:N0}/s: {Describe(t)}");
            }
            await server.StopAsync(TimeSpan.FromSeconds(30));
            Console.Error.WriteLine($"plain: stop line: {server.StopLine}");
            return results;
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>Unpaced senders into the raw receiver: 1 and 2 senders of 100-byte datagrams, and 1 sender of history-page-sized ones.</summary>
    private static RawResult MeasureRaw(double trialSeconds)
    {
        using var receiver = new UdpLoad.RawReceiver();
        Console.Error.WriteLine($"compare: raw receiver on {receiver.EndPoint}, SO_RCVBUF asked {UdpLoad.RawReceiver.RequestedBuffer:N0}, granted {receiver.GrantedBuffer:N0} (getsockopt)");
        var runs = new List<RawRun>();
        foreach (var (senders, bytes) in new[] { (1, UdpLoad.NoteBytes), (2, UdpLoad.NoteBytes), (1, HistoryDatagramBytes) })
        {
            // Warm-up: JIT and socket paths.
            receiver.Reset();
            UdpLoad.Send(receiver.EndPoint, 0, senders, 20_000, 0, TimeSpan.FromSeconds(1), bytes);
            receiver.Collect();
            receiver.Reset();
            var count = bytes == UdpLoad.NoteBytes ? (long)(600_000 * trialSeconds) * senders : (long)(40_000 * trialSeconds);
            var sent = UdpLoad.Send(receiver.EndPoint, 0, senders, count, 0, TimeSpan.FromSeconds(trialSeconds * 1.5), bytes);
            var got = receiver.Collect();
            var lost = sent.Sent - got.Datagrams;
            var run = new RawRun(senders, bytes, sent, got, lost, 100.0 * lost / Math.Max(1, sent.Sent));
            runs.Add(run);
            Console.Error.WriteLine($"compare: raw, {senders} sender(s) of {bytes:N0}-byte datagrams: sent {sent.Sent:N0} at {sent.SentPerSecond:N0}/s, received {got.Datagrams:N0} = {got.DatagramsPerSecond:N0}/s ({got.BytesPerSecond / 1048576:N1} MiB/s), lost {run.LossPercent:F2}%");
        }
        return new RawResult(UdpLoad.RawReceiver.RequestedBuffer, receiver.GrantedBuffer, runs);
    }

    /// <summary>
    /// Up the ladder until the first trial that loses a datagram (or the senders cannot reach the offered rate), then
    /// <paramref name="refineSteps"/> bisections between the last clean rate and the first lossy one (default: the
    /// 50,000–450,000/s ladder and <see cref="RefineSteps"/>, at most 11 trials). With a ladder of its own whose first
    /// rung already loses, it steps down (halving) until a clean trial, at most 3 times, and bisects from there.
    /// </summary>
    internal static async Task<RateSearch> SearchAsync(string receiver, double trialSeconds, Func<double, CancellationToken, Task<RateTrial>> trial,
        IReadOnlyList<double>? ladder = null, int refineSteps = RefineSteps)
    {
        var trials = new List<RateTrial>();
        double? clean = null, lossy = null;
        var senderLimited = false;
        foreach (var offered in ladder ?? Ladder)
        {
            var t = await trial(offered, CancellationToken.None);
            trials.Add(t);
            Console.Error.WriteLine($"compare: {receiver} offered {offered:N0}/s: {Describe(t)}");
            if (t.Lost > 0)
            {
                lossy = offered;
                break;
            }
            clean = offered;
            if (t.SentPerSecond < 0.93 * offered)
            {
                senderLimited = true;
                break;
            }
        }
        // A ladder that started above the zero-loss rate: down until a clean trial (at most 3 halvings).
        for (var down = 0; down < 3 && ladder is not null && clean is null && lossy is { } above; down++)
        {
            var offered = Math.Round(above / 2 / 1000) * 1000;
            var t = await trial(offered, CancellationToken.None);
            trials.Add(t);
            Console.Error.WriteLine($"compare: {receiver} offered {offered:N0}/s: {Describe(t)}");
            if (t.Lost > 0) lossy = offered;
            else clean = offered;
        }
        for (var step = 0; step < refineSteps && clean is { } c && lossy is { } l; step++)
        {
            var offered = Math.Round((c + l) / 2 / 1000) * 1000;
            var t = await trial(offered, CancellationToken.None);
            trials.Add(t);
            Console.Error.WriteLine($"compare: {receiver} offered {offered:N0}/s: {Describe(t)}");
            if (t.Lost > 0) lossy = offered;
            else clean = offered;
        }
        var best = trials.Where(t => t.Lost == 0 && t.Sent > 0).MaxBy(t => t.SentPerSecond);
        return new RateSearch(receiver, Senders, trialSeconds, trials, best, senderLimited);
    }

    internal static RateTrial RsyslogTrial(Rsyslog rsyslog, double offered, double trialSeconds)
    {
        var id = Interlocked.Increment(ref _trial);
        var marker = UdpLoad.TrialMarker(id);
        rsyslog.CountNewLines(marker);
        var sent = UdpLoad.Send(rsyslog.EndPoint, id, Senders, (long)(offered * trialSeconds), offered, TimeSpan.FromSeconds(trialSeconds * 2 + 1));
        // omfile flushes every second (flushInterval="1"): wait until every note is there, or nothing new came for 3 s (at most 30 s).
        var watch = Stopwatch.StartNew();
        long delivered = 0;
        var lastChange = watch.Elapsed;
        while (watch.Elapsed < TimeSpan.FromSeconds(30) && watch.Elapsed - lastChange < TimeSpan.FromSeconds(3))
        {
            Thread.Sleep(250);
            var n = rsyslog.CountNewLines(marker);
            if (n > 0) lastChange = watch.Elapsed;
            delivered += n;
            if (delivered >= sent.Sent) break;
        }
        return new RateTrial(id, offered, sent.Sent, sent.SentPerSecond, sent.SendErrors, delivered, sent.Sent - delivered, watch.Elapsed.TotalSeconds);
    }

    private static async Task<RateTrial> NetJournalTrialAsync(ServerProcess server, JournalClient counter, double offered, double trialSeconds)
    {
        var id = Interlocked.Increment(ref _trial);
        await server.WaitIdleAsync(TimeSpan.FromSeconds(30));
        var before = (await counter.CountAsync(HistoryFilter.None)).TotalNotes;
        var sent = await Task.Run(() => UdpLoad.Send(server.EndPoint, id, Senders, (long)(offered * trialSeconds), offered, TimeSpan.FromSeconds(trialSeconds * 2 + 1)));
        // Plain notes are not acknowledged: wait until the journal holds them all, or its count stood still for 1.5 s (at most 30 s).
        var watch = Stopwatch.StartNew();
        var last = before;
        var lastChange = watch.Elapsed;
        while (watch.Elapsed < TimeSpan.FromSeconds(30) && watch.Elapsed - lastChange < TimeSpan.FromSeconds(1.5))
        {
            await Task.Delay(200);
            var now = (await counter.CountAsync(HistoryFilter.None)).TotalNotes;
            if (now != last) lastChange = watch.Elapsed;
            last = now;
            if ((long)(now - before) >= sent.Sent) break;
        }
        var delivered = (long)(last - before);
        return new RateTrial(id, offered, sent.Sent, sent.SentPerSecond, sent.SendErrors, delivered, sent.Sent - delivered, watch.Elapsed.TotalSeconds);
    }

    internal static string Describe(RateTrial t) =>
        $"sent {t.Sent:N0} at {t.SentPerSecond:N0}/s, stored {t.Delivered:N0}, lost {t.Lost:N0}";
}
