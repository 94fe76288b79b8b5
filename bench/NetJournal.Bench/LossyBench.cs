using System.Globalization;
using System.Text;
using System.Text.Json;
using NetJournal.Bench.Data;
using NetJournal.Bench.Infra;
using NetJournal.Client;
using NetJournal.Storage;

namespace NetJournal.Bench;

/// <summary>
/// Times of the runs of one cell: the median counts a run that failed (non-zero exit, killed at the limit, notes
/// missing or out of order) as infinitely slow, so a cell where most runs failed has no median (NaN); min and max
/// are over the runs that completed.
/// </summary>
internal sealed record RunSpread(int Runs, int Completed, double MedianSeconds, double MinSeconds, double MaxSeconds)
{
    public static RunSpread Of(IReadOnlyList<(bool Completed, double Seconds)> runs)
    {
        var done = runs.Where(r => r.Completed).Select(r => r.Seconds).Order().ToArray();
        var all = runs.Select(r => r.Completed ? r.Seconds : double.PositiveInfinity).Order().ToArray();
        var median = all.Length == 0 ? double.NaN : LatencySummary.Percentile(all, 0.5);
        return new RunSpread(runs.Count, done.Length, double.IsInfinity(median) ? double.NaN : median,
            done.Length > 0 ? done[0] : double.NaN, done.Length > 0 ? done[^1] : double.NaN);
    }
}

/// <summary>
/// One `netjournal write` of the lossy path: its exit, what its `--stats-json` said, and what the journal holds of its
/// notes afterwards (found under its name; stored once and in order when there are exactly N of one instance, numbered
/// 1..N in seq order, each with the text of its input line).
/// </summary>
internal sealed record LossyWriteRun(
    int Run, int ExitCode, bool TimedOut, double Seconds, long Stored, long Retransmissions, double AckP50Ms, double AckP99Ms,
    long InJournal, long Duplicates, int Instances, bool StoredOnceInOrder, string? Error)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public LatencyHistogram? AckLatency { get; init; }

    public bool Completed => ExitCode == 0 && StoredOnceInOrder;
}

/// <summary>One `netjournal history --all --format json > file`: its exit and whether the file holds seq 1..N once each, in order.</summary>
internal sealed record LossyHistoryRun(int Run, int ExitCode, bool TimedOut, double Seconds, long Notes, bool CompleteInOrder, string? Error)
{
    public bool Completed => ExitCode == 0 && CompleteInOrder;
}

/// <summary>One `curl --max-time 120` of a file over HTTP: its exit, the HTTP status and the bytes it got.</summary>
internal sealed record TcpFetchRun(int Run, int ExitCode, bool TimedOut, double Seconds, int HttpStatus, long Bytes, bool Complete, string? Error)
{
    public bool Completed => ExitCode == 0 && Complete;
}

/// <summary>Every figure of one loss level.</summary>
internal sealed record LossyLevel(
    int LossPercent,
    RunSpread Write, double RetransmissionsPerNote, LatencySummary WriteAckLatency, IReadOnlyList<LossyWriteRun> Writes,
    RunSpread History, IReadOnlyList<LossyHistoryRun> Histories,
    RunSpread TcpWriteSize, IReadOnlyList<TcpFetchRun> TcpWriteSizeFetches,
    RunSpread TcpHistorySize, IReadOnlyList<TcpFetchRun> TcpHistorySizeFetches)
{
    /// <summary>Every run of the level completed, every write's notes stored once and in order.</summary>
    public bool AllCompleted => Writes.All(w => w.Completed) && Histories.All(h => h.Completed);
}

internal sealed record LossyResult(
    string Path, int WriteNotes, long WriteBytes, int HistoryNotes, long HistoryBytes, int RunsPerCell, double RunLimitSeconds,
    IReadOnlyList<LossyLevel> Levels, string? WriteServerStopLine, string? HistoryServerStopLine);

/// <summary>
/// `lossy [notes] [historyNotes] [runs] [--loss 0,5,10,20,30]`: the published `netjournal` across a path that loses a
/// share of the packets in each direction (<see cref="LossyPath"/>: the servers in one network namespace, the clients
/// in another, joined by a veth pair; nftables drops N% of the UDP and TCP packets arriving at each end). For each
/// loss, `runs` times: a `netjournal write` of `notes` notes of ~30 B from a file on standard input (default options),
/// checked in the journal afterwards; a `netjournal history --all --format json` of a journal holding exactly
/// `historyNotes` notes of ~25 B; and TCP as the reference: curl fetching files of the same sizes (the write's input,
/// the history's JSON output) from `python3 -m http.server` beside the servers. Every run is bounded in time.
/// </summary>
internal static class LossyBench
{
    public static readonly int[] DefaultLosses = [0, 5, 10, 20, 30];

    /// <summary>A run still going after this is killed and counted as failed (curl gets the same as --max-time).</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    private const int WriteNoteBytes = 30;
    private const int WritePort = 9527;
    private const int HistoryPort = 9528;
    private const int HttpPort = 8080;

    public static async Task<LossyResult> RunAsync(int writeNotes, int historyNotes, int runs, IReadOnlyList<int> losses)
    {
        var cli = RepoPaths.BuiltCliDll;
        using var path = LossyPath.Create();
        var dir = RepoPaths.NewTempDirectory("lossy");
        try
        {
            Console.Error.WriteLine($"lossy: clients in {path.ClientNamespace} ({path.ClientAddress}) → servers in {path.ServerNamespace} ({path.ServerAddress}); losses {string.Join(", ", losses)}%, {runs} run(s) each");
            var www = Directory.CreateDirectory(Path.Combine(dir, "www")).FullName;
            var input = Path.Combine(www, "write.txt");
            var texts = Texts(writeNotes);
            File.WriteAllLines(input, texts, new UTF8Encoding(false));
            var writeBytes = new FileInfo(input).Length;
            var writeData = Directory.CreateDirectory(Path.Combine(dir, "write-data")).FullName;
            var historyData = Directory.CreateDirectory(Path.Combine(dir, "history-data")).FullName;
            JournalGenerator.Write(historyData, historyNotes, minTextBytes: 23, maxTextBytes: 27);

            var server = path.ServerAddress.ToString();
            await using var writeServer = NamespaceDaemon.Start(
                path.ServerCommand([.. RepoPaths.CommandFor(cli), "serve", "--bind", server, "--port", Port(WritePort), "--data", writeData]), "listening on UDP");
            await using var historyServer = NamespaceDaemon.Start(
                path.ServerCommand([.. RepoPaths.CommandFor(cli), "serve", "--bind", server, "--port", Port(HistoryPort), "--data", historyData]), "listening on UDP");
            await using var http = NamespaceDaemon.Start(
                path.ServerCommand("python3", "-u", "-m", "http.server", "--bind", server, "--directory", www, Port(HttpPort)), "Serving HTTP");
            foreach (var daemon in new[] { writeServer, historyServer, http }) await daemon.WaitReadyAsync(TimeSpan.FromMinutes(1));
            var writeTarget = $"{server}:{Port(WritePort)}";
            var historyTarget = $"{server}:{Port(HistoryPort)}";

            // Uncounted, with no loss: each client once (files cached, the servers' code warm), and the history's JSON
            // output, whose size the TCP reference fetches.
            var warmUp = await WriteAsync(path, cli, writeTarget, writeData, input, texts, "lossy-warm-up", 0);
            var historyJson = Path.Combine(www, "history.json");
            var warmHistory = await HistoryAsync(path, cli, historyTarget, historyJson, historyNotes, 0);
            if (!warmUp.Completed || !warmHistory.Completed)
                throw new InvalidOperationException($"the warm-up with no loss failed: write {warmUp}, history {warmHistory}");
            var historyBytes = new FileInfo(historyJson).Length;
            var warmTcp = await FetchAsync(path, $"http://{server}:{Port(HttpPort)}/history.json", historyBytes, 0);
            if (!warmTcp.Completed) throw new InvalidOperationException($"the HTTP reference does not answer: {warmTcp}");
            Console.Error.WriteLine($"lossy: write input {writeNotes:N0} notes = {writeBytes:N0} B; history {historyNotes:N0} notes = {historyBytes:N0} B of JSON");

            var levels = new List<LossyLevel>();
            foreach (var loss in losses)
            {
                path.SetLoss(loss);
                var writes = new List<LossyWriteRun>();
                var histories = new List<LossyHistoryRun>();
                var tcpWrite = new List<TcpFetchRun>();
                var tcpHistory = new List<TcpFetchRun>();
                // The four kinds of run take turns, so the machine's drift falls on each alike.
                for (var run = 1; run <= runs; run++)
                {
                    writes.Add(await WriteAsync(path, cli, writeTarget, writeData, input, texts, $"lossy-{loss}-{run}", run));
                    histories.Add(await HistoryAsync(path, cli, historyTarget, Path.Combine(dir, "history-out.json"), historyNotes, run));
                    tcpWrite.Add(await FetchAsync(path, $"http://{server}:{Port(HttpPort)}/write.txt", writeBytes, run));
                    tcpHistory.Add(await FetchAsync(path, $"http://{server}:{Port(HttpPort)}/history.json", historyBytes, run));
                    Console.Error.WriteLine($"lossy {loss}% run {run}: write {Describe(writes[^1].Completed, writes[^1].Seconds)} ({writes[^1].Retransmissions:N0} retransmissions{(writes[^1].Error is { } e ? "; " + e : "")}), " +
                        $"history {Describe(histories[^1].Completed, histories[^1].Seconds)}{(histories[^1].Error is { } h ? " (" + h + ")" : "")}, " +
                        $"TCP {Describe(tcpWrite[^1].Completed, tcpWrite[^1].Seconds)} / {Describe(tcpHistory[^1].Completed, tcpHistory[^1].Seconds)}");
                }
                var latency = new LatencyHistogram();
                foreach (var w in writes)
                    if (w.AckLatency is { } h) latency.Add(h);
                var sent = writes.Sum(w => (long)writeNotes);
                levels.Add(new LossyLevel(loss,
                    RunSpread.Of([.. writes.Select(w => (w.Completed, w.Seconds))]), writes.Sum(w => w.Retransmissions) / (double)sent, LatencySummary.Of(latency), writes,
                    RunSpread.Of([.. histories.Select(h => (h.Completed, h.Seconds))]), histories,
                    RunSpread.Of([.. tcpWrite.Select(t => (t.Completed, t.Seconds))]), tcpWrite,
                    RunSpread.Of([.. tcpHistory.Select(t => (t.Completed, t.Seconds))]), tcpHistory));
            }
            path.SetLoss(0);

            await writeServer.StopAsync(TimeSpan.FromSeconds(30));
            await historyServer.StopAsync(TimeSpan.FromSeconds(30));
            var result = new LossyResult($"veth {path.ClientAddress} ⇄ {path.ServerAddress}, nftables drops in each namespace's input hook",
                writeNotes, writeBytes, historyNotes, historyBytes, runs, RunLimit.TotalSeconds, levels,
                StopLine(writeServer), StopLine(historyServer));
            Console.WriteLine(Table(result));
            return result;
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>Parses `0,5,10`: loss percentages, 0 to 100.</summary>
    /// <exception cref="FormatException">Not a comma-separated list of whole percentages.</exception>
    public static int[] ParseLosses(string text)
    {
        var losses = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s.TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100
                ? n
                : throw new FormatException($"--loss takes whole percentages 0 to 100, comma-separated (e.g. 0,5,10,20,30): '{s}'"))
            .ToArray();
        return losses.Length > 0 ? losses : throw new FormatException("--loss needs at least one percentage");
    }

    private static async Task<LossyWriteRun> WriteAsync(LossyPath path, string cli, string target, string data, string input, string[] texts, string name, int run)
    {
        var journal = Path.Combine(data, JournalStore.FileName);
        var before = File.Exists(journal) ? new FileInfo(journal).Length : 0;
        var exit = await BoundedProcess.RunAsync(path.ClientShell("f=$1; shift; exec \"$@\" < \"$f\" > /dev/null",
            [input, .. RepoPaths.CommandFor(cli), "write", "-s", target, "--name", name, "--stats-json"]), RunLimit);
        var statsLine = exit.Error.Split('\n').FirstOrDefault(l => l.StartsWith('{'));
        var stats = statsLine is null ? null : WriterStats.Parse(statsLine);
        var check = CheckJournal(journal, before, name, texts);
        var error = exit.TimedOut ? $"killed after {RunLimit.TotalSeconds:0} s"
            : exit.ExitCode != 0 ? Tail(exit.Error)
            : !check.OnceInOrder ? $"journal: {check.Found:N0} of {texts.Length:N0} notes, {check.Duplicates:N0} duplicates, {check.Instances} instance(s), out of order or changed: {check.Misplaced:N0}"
            : null;
        return new LossyWriteRun(run, exit.ExitCode, exit.TimedOut, exit.Seconds, stats?.Stored ?? 0, stats?.Retransmissions ?? 0,
            stats is null ? double.NaN : stats.AckLatency.Percentile(0.5).TotalMilliseconds,
            stats is null ? double.NaN : stats.AckLatency.Percentile(0.99).TotalMilliseconds,
            check.Found, check.Duplicates, check.Instances, check.OnceInOrder, error)
        { AckLatency = stats?.AckLatency };
    }

    /// <summary>
    /// The notes stored under <paramref name="name"/> after byte <paramref name="from"/> of the journal (where it ended
    /// before the write started): how many, duplicates (a number seen twice), instances, and notes not where they
    /// belong (the i-th note, in seq order, must be number i with the i-th input line's text).
    /// </summary>
    private static (long Found, long Duplicates, int Instances, long Misplaced, bool OnceInOrder) CheckJournal(string journal, long from, string name, string[] texts)
    {
        var found = new List<JournalRecord>();
        using (var file = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            file.Position = from;
            var bytes = new byte[file.Length - from];
            file.ReadExactly(bytes);
            var rest = bytes.AsSpan();
            while (rest.Length > 0)
            {
                var end = rest.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? [] : rest[(end + 1)..];
                if (JournalLine.TryParse(line) is { } record && record.Client == name) found.Add(record);
            }
        }
        var duplicates = found.Count - found.Select(r => (r.Instance, r.Number)).Distinct().LongCount();
        var instances = found.Select(r => r.Instance).Distinct().Count();
        long misplaced = 0;
        ulong lastSeq = 0;
        for (var i = 0; i < found.Count; i++)
        {
            var r = found[i];
            if (i >= texts.Length || r.Number != (ulong)(i + 1) || r.Text != texts[i] || r.Seq <= lastSeq) misplaced++;
            lastSeq = r.Seq;
        }
        return (found.Count, duplicates, instances, misplaced, found.Count == texts.Length && duplicates == 0 && instances == 1 && misplaced == 0);
    }

    private static async Task<LossyHistoryRun> HistoryAsync(LossyPath path, string cli, string target, string output, int notes, int run)
    {
        var exit = await BoundedProcess.RunAsync(path.ClientShell("f=$1; shift; exec \"$@\" > \"$f\"",
            [output, .. RepoPaths.CommandFor(cli), "history", "-s", target, "--all", "--format", "json"]), RunLimit);
        // Every line a note, seq 1..N in order.
        long lines = 0;
        var inOrder = true;
        if (File.Exists(output))
        {
            foreach (var line in File.ReadLines(output))
            {
                lines++;
                using var note = JsonDocument.Parse(line);
                if (note.RootElement.GetProperty("seq").GetInt64() != lines) inOrder = false;
            }
        }
        var complete = inOrder && lines == notes;
        var error = exit.TimedOut ? $"killed after {RunLimit.TotalSeconds:0} s"
            : exit.ExitCode != 0 ? Tail(exit.Error)
            : !complete ? $"{lines:N0} of {notes:N0} notes{(inOrder ? "" : ", out of order")}"
            : null;
        return new LossyHistoryRun(run, exit.ExitCode, exit.TimedOut, exit.Seconds, lines, complete, error);
    }

    private static async Task<TcpFetchRun> FetchAsync(LossyPath path, string url, long bytes, int run)
    {
        // curl stops itself at --max-time; the bound here is a backstop.
        var exit = await BoundedProcess.RunAsync(path.ClientShell("exec \"$@\"",
            "curl", "-sS", "-o", "/dev/null", "--max-time", RunLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture), "-w", "%{http_code} %{size_download}", url),
            RunLimit + TimeSpan.FromSeconds(15));
        var parts = exit.Output.Trim().Split(' ');
        var status = parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var s) ? s : 0;
        var got = parts.Length == 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var b) ? b : 0;
        var complete = status == 200 && got == bytes;
        var error = exit.TimedOut ? "killed at the limit"
            : exit.ExitCode != 0 ? $"curl exit {exit.ExitCode}: {Tail(exit.Error)}"
            : !complete ? $"HTTP {status}, {got:N0} of {bytes:N0} B"
            : null;
        return new TcpFetchRun(run, exit.ExitCode, exit.TimedOut, exit.Seconds, status, got, complete, error);
    }

    /// <summary>Notes of exactly <see cref="WriteNoteBytes"/> UTF-8 bytes, each with its index (a reader can tell them apart).</summary>
    private static string[] Texts(int count)
    {
        var rng = new Random(3000);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var prefix = $"n{i:000000} ";
            texts[i] = prefix + NoteCorpus.Text(rng, WriteNoteBytes - prefix.Length, withMarker: false);
        }
        return texts;
    }

    /// <summary>The table printed at the end (also the Report's "Lossy path" section).</summary>
    internal static string Table(LossyResult r)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"write: {r.WriteNotes:N0} notes ({r.WriteBytes:N0} B of input); history: {r.HistoryNotes:N0} notes ({r.HistoryBytes:N0} B of JSON); TCP: curl of files of those two sizes. Seconds from process start to exit, median (min–max) of the runs that completed, and how many of {r.RunsPerCell} completed; a failed run counts as infinitely slow in the median.");
        md.AppendLine();
        md.AppendLine("| loss each way | write s | write: retransmissions/note | write: ack p50 / p99 | history s | TCP, write's bytes, s | TCP, history's bytes, s |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var l in r.Levels)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {l.LossPercent}% | {Cell(l.Write)} | {Report.F(l.RetransmissionsPerNote, 3)} | {Report.Ms(l.WriteAckLatency.MedianMs)} / {Report.Ms(l.WriteAckLatency.P99Ms)} | {Cell(l.History)} | {Cell(l.TcpWriteSize)} | {Cell(l.TcpHistorySize)} |");
        }
        var failures = r.Levels.SelectMany(l =>
            l.Writes.Where(w => !w.Completed).Select(w => $"{l.LossPercent}% write run {w.Run}: {w.Error}")
                .Concat(l.Histories.Where(h => !h.Completed).Select(h => $"{l.LossPercent}% history run {h.Run}: {h.Error}"))
                .Concat(l.TcpWriteSizeFetches.Concat(l.TcpHistorySizeFetches).Where(t => !t.Completed).Select(t => $"{l.LossPercent}% TCP run {t.Run}: {t.Error}")))
            .ToList();
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Failed runs:");
            foreach (var f in failures) md.AppendLine(CultureInfo.InvariantCulture, $"- {f}");
        }
        return md.ToString();
    }

    private static string Cell(RunSpread s) => s.Completed == 0
        ? $"**failed** (0/{s.Runs})"
        : $"{(double.IsNaN(s.MedianSeconds) ? "**failed**" : Report.F(s.MedianSeconds, 2))} ({Report.F(s.MinSeconds, 2)}–{Report.F(s.MaxSeconds, 2)}), {s.Completed}/{s.Runs}";

    private static string Describe(bool completed, double seconds) => completed ? $"{seconds:F2} s" : $"failed ({seconds:F1} s)";

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('{')).ToArray();
        return string.Join(" | ", lines.TakeLast(2));
    }

    private static string? StopLine(NamespaceDaemon server) => server.Log.LastOrDefault(l => l.Contains("dropped=", StringComparison.Ordinal));

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
