using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetJournal.Bench.Infra;

namespace NetJournal.Bench;

/// <summary>Puts memory.json, load.json and the BenchmarkDotNet results together as latest.md and latest.json.</summary>
internal static class Report
{
    public static void Write(string results)
    {
        var memory = Load<MemoryResult>(Path.Combine(results, "memory.json"));
        var load = Load<LoadResult>(Path.Combine(results, "load.json"));
        var compare = Load<CompareResult>(Path.Combine(results, "compare.json"));
        var remote = File.Exists(Path.Combine(results, "remote.json")) ? Load<RemoteResult>(Path.Combine(results, "remote.json")) : null;
        var lossy = File.Exists(Path.Combine(results, "lossy.json")) ? Load<LossyResult>(Path.Combine(results, "lossy.json")) : null;
        var bulk = Load<BulkResult>(Path.Combine(results, "bulk.json"));
        var clientCpu = Load<ClientCpuResult>(Path.Combine(results, "client-cpu.json"));
        var batchLoads = Directory.GetFiles(results, "load-batch-*.json").Select(f => Load<LoadResult>(f)!).OrderBy(l => l.MaxBatch).ToList();
        var microDir = Path.Combine(results, "micro", "results");
        var microTables = Directory.Exists(microDir) ? Directory.GetFiles(microDir, "*-report-github.md").Order(StringComparer.Ordinal).ToList() : [];
        var microJson = Directory.Exists(microDir) ? Directory.GetFiles(microDir, "*-report*.json").Order(StringComparer.Ordinal).ToList() : [];
        var machine = Machine();

        var body = new StringBuilder();
        if (compare is not null) WriteCompare(body, compare);
        if (bulk is not null) WriteBulk(body, bulk);
        if (load is not null) WriteLoad(body, load);
        if (clientCpu is not null) WriteClientCpu(body, clientCpu);
        if (load is not null && batchLoads.Count > 0) WriteBatchTradeOff(body, load, batchLoads, compare);
        if (memory is not null) WriteMemory(body, memory);
        if (remote is not null) WriteRemote(body, remote);
        if (lossy is not null) WriteLossy(body, lossy);
        var micro = WriteMicro(body, microTables, microJson);
        var targets = Targets.Evaluate(memory, load, compare, micro, bulk, clientCpu);
        if (lossy is not null) targets.AddRange(Targets.EvaluateLossy(lossy));

        var md = new StringBuilder();
        md.AppendLine("# NetJournal benchmarks").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/run.sh` on {machine["cpu"]} ({machine["processors"]} logical CPUs), {machine["os"]}, {machine["runtime"]}.");
        md.AppendLine("Server figures are from a real `netjournal serve` process on 127.0.0.1 (its /proc/PID/status and /proc/PID/stat); the references (raw UDP receiver, rsyslogd) were measured in the same run on the same machine.").AppendLine();
        Targets.Write(md, targets);
        md.Append(body);

        File.WriteAllText(Path.Combine(results, "latest.md"), md.ToString());
        var json = new JsonObject
        {
            ["generatedUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = machine,
            ["targets"] = JsonSerializer.SerializeToNode(targets, Json.Options),
            ["compare"] = compare is null ? null : JsonSerializer.SerializeToNode(compare, Json.Options),
            ["bulk"] = bulk is null ? null : JsonSerializer.SerializeToNode(bulk, Json.Options),
            ["load"] = load is null ? null : JsonSerializer.SerializeToNode(load, Json.Options),
            ["clientCpu"] = clientCpu is null ? null : JsonSerializer.SerializeToNode(clientCpu, Json.Options),
            ["loadByMaxBatch"] = JsonSerializer.SerializeToNode(batchLoads, Json.Options),
            ["memory"] = memory is null ? null : JsonSerializer.SerializeToNode(memory, Json.Options),
            ["remote"] = remote is null ? null : JsonSerializer.SerializeToNode(remote, Json.Options),
            ["lossy"] = lossy is null ? null : JsonSerializer.SerializeToNode(lossy, Json.Options),
            ["micro"] = micro,
        };
        File.WriteAllText(Path.Combine(results, "latest.json"), json.ToJsonString(Json.Options) + "\n");
        Console.Error.WriteLine($"wrote {Path.Combine(results, "latest.md")} and latest.json");
    }

    private static T? Load<T>(string path) where T : class
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"report: {path} is missing; that part is left out");
            return null;
        }
        return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json.Options);
    }

    private static void WriteMemory(StringBuilder md, MemoryResult m)
    {
        var (a, b) = (m.Runs[0], m.Runs[1]);
        md.AppendLine("## Memory and start-up (`memory`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"A journal of N notes (80–120 UTF-8 bytes of text each: ASCII, Chinese and mixed; 50 clients; {Pct(a.WithDedupFields, a.Notes)} with instance/num) written directly to a file, then opened by a server process. \"Start-up\" is from process start to the first answered CountRequest. The server runs with `--rate-limit 0` (every client of this benchmark comes from 127.0.0.1 and shares one bucket: the eight appending clients together, each paced at 8,000 datagrams/s, can pass the default 10,000). The fetch is one client reading the whole history (HistoryAsync, 8 pages in flight): after 3 s of uncounted fetches of the latest 200,000 notes (both sides recompile their hot code as they run, as a server that has been running would have) and one uncounted full fetch that counts the wire bytes, the median of 5 timed full fetches, each only counting the notes and checking their order; MiB/s counts the notes' wire bytes. The print is the published `netjournal history` (text, then `--format json`) started as a new process with its output in a file, timed from start to exit. Grep is `--grep {m.Runs[0].GrepQuery}` over the whole journal (~1% match): its count alone (once by a client whose timeout never fires, once by a default client), then the whole fetch; the server is left to go idle before each.").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| | {a.Notes:N0} notes | {b.Notes:N0} notes | ratio |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        Row(md, "journal file (MiB)", a.FileMiB, b.FileMiB, 1);
        Row(md, "start-up to first answer (ms)", a.StartToFirstAnswerMs, b.StartToFirstAnswerMs, 0);
        Row(md, "server log \"opened in\" (ms)", a.ServerOpenedInMs ?? double.NaN, b.ServerOpenedInMs ?? double.NaN, 0);
        Row(md, "RSS after start-up (MiB)", a.AfterStart.RssMiB, b.AfterStart.RssMiB, 1);
        Row(md, "peak RSS (VmHWM) after start-up (MiB)", a.AfterStart.HwmMiB, b.AfterStart.HwmMiB, 1);
        Row(md, "full fetch: time (s), the median of 5", a.Fetch.Seconds, b.Fetch.Seconds, 2);
        if (a.Fetch.RoundSeconds is { } ar && b.Fetch.RoundSeconds is { } br)
            md.AppendLine(CultureInfo.InvariantCulture, $"| full fetch: the 5 rounds (s) | {string.Join(", ", ar.Select(x => F(x, 2)))} | {string.Join(", ", br.Select(x => F(x, 2)))} | – |");
        Row(md, "full fetch: notes/s", a.Fetch.NotesPerSecond, b.Fetch.NotesPerSecond, 0);
        Row(md, "full fetch: MiB/s (wire bytes of notes)", a.Fetch.MiBPerSecond, b.Fetch.MiBPerSecond, 1);
        Row(md, "full fetch: retransmissions", a.Fetch.Retransmissions, b.Fetch.Retransmissions, 0);
        Row(md, "full fetch: server CPU (s)", a.Fetch.ServerCpuSeconds, b.Fetch.ServerCpuSeconds, 2);
        Row(md, "full fetch: client CPU (s, the benchmark process)", a.Fetch.ClientCpuSeconds, b.Fetch.ClientCpuSeconds, 2);
        for (var i = 0; i < a.Prints.Count && i < b.Prints.Count; i++)
            Row(md, $"print: `netjournal history --format {a.Prints[i].Format} > file`, process start to exit (s)", a.Prints[i].Seconds, b.Prints[i].Seconds, 2);
        Row(md, "RSS after full fetch (MiB)", a.AfterFetch.RssMiB, b.AfterFetch.RssMiB, 1);
        Row(md, "peak RSS after full fetch (MiB)", a.AfterFetch.HwmMiB, b.AfterFetch.HwmMiB, 1);
        Row(md, "grep: matches", a.Grep.Notes, b.Grep.Notes, 0);
        Row(md, "grep count alone, client that never retransmits (s)", a.GrepCountPatient.Seconds, b.GrepCountPatient.Seconds, 2);
        Row(md, "grep count alone, default client (s)", a.GrepCount.Seconds, b.GrepCount.Seconds, 2);
        Row(md, "grep count alone, default client: retransmissions", a.GrepCount.Retransmissions, b.GrepCount.Retransmissions, 0);
        Row(md, "server CPU for one grep count, never-retransmitting client (s)", a.GrepCountPatient.ServerCpuSeconds, b.GrepCountPatient.ServerCpuSeconds, 2);
        Row(md, "server CPU for one grep count, default client, till idle (s)", a.GrepCount.ServerCpuSeconds, b.GrepCount.ServerCpuSeconds, 2);
        Row(md, "grep fetch (count + pages), default client (s)", a.Grep.Seconds, b.Grep.Seconds, 2);
        Row(md, "grep fetch: retransmissions", a.Grep.Retransmissions, b.Grep.Retransmissions, 0);
        Row(md, "RSS after grep (MiB)", a.AfterGrep.RssMiB, b.AfterGrep.RssMiB, 1);
        Row(md, "peak RSS after grep (MiB)", a.AfterGrep.HwmMiB, b.AfterGrep.HwmMiB, 1);
        Row(md, $"append: {a.Append.Writers} clients × {a.Append.NotesPerWriter:N0} notes, median of {a.Append.Rounds} rounds after a warm-up round (notes/s)", a.Append.MedianNotesPerSecond, b.Append.MedianNotesPerSecond, 0,
            F(m.Ratios.AppendNotesPerSecond, 2) + "× (median of the round-by-round ratios)");
        Row(md, "append: best round (notes/s)", a.Append.BestNotesPerSecond, b.Append.BestNotesPerSecond, 0);
        Row(md, "append: notes not stored", a.Append.NotStored, b.Append.NotStored, 0);
        Row(md, "SIGTERM to exit (s), exit code", a.StopSeconds, b.StopSeconds, 2, $"{a.ExitCode} / {b.ExitCode}");
        md.AppendLine();
        md.AppendLine("The append rows write into the journal of N notes once the queries above are done: pipelined in-process `JournalClient`s, acknowledged after fsync. Both servers stay up and the rounds take turns between them (the first to go alternates), so the machine's drift falls on both alike; the N → 2N figure is the median of the round-by-round ratios. Each round's notes/s are in latest.json. The appended notes grow both journals by the same count.").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Marginal resident memory per note (RSS after start-up, 2N − N): **{F(m.Ratios.MarginalRssBytesPerNote, 0)} bytes/note**.").AppendLine();
    }

    private static void WriteRemote(StringBuilder md, RemoteResult r)
    {
        md.AppendLine("## A client on another machine (`remote`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"The server listens on one end of a veth pair ({r.Path}); published `netjournal` processes in a network namespace of their own, at the other end, first write {r.Runs[0].WriteNotes:N0} notes of 100 bytes from standard input (`write --stats-json`), then print the whole history of {r.Runs[0].HistoryNotes:N0} notes (`history --all --format json > file`), each timed from process start to exit. Not on loopback, the client packs at most 1,232 bytes into a datagram and asks for 1,232-byte pages, so both take many datagrams and meet the server's per-source rate limit. With the defaults, and with the former default limit (2,000) and an unpaced client; a page request with a token counts as a quarter of a datagram in both.").AppendLine();
        md.AppendLine("| setting | write: s (notes/s) | write: retransmissions | history: s (notes/s) | datagrams over the server's limit |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var run in r.Runs)
        {
            var args = (run.ServerArguments.Length > 0 ? $" (`serve {run.ServerArguments}`, client `{run.ClientArguments}`)" : "");
            var write = run.WriteExitCode == 0 ? $"{F(run.WriteSeconds, 2)} ({F(run.WriteNotesPerSecond, 0)})" : $"exit {run.WriteExitCode}";
            var history = run.HistoryExitCode == 0 ? $"{F(run.HistorySeconds, 2)} ({F(run.HistoryNotesPerSecond, 0)})" : $"exit {run.HistoryExitCode}";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Setting}{args} | {write} | {run.WriteRetransmissions:N0} | {history} | {run.RateLimited:N0} |");
        }
        md.AppendLine();
    }

    private static void WriteLossy(StringBuilder md, LossyResult r)
    {
        md.AppendLine("## Lossy path (`lossy`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"The servers in one network namespace, the clients in another, joined by a veth pair ({r.Path}): nftables drops the given share of the UDP and TCP packets arriving at each end (`numgen random mod 100 < N drop`), so each direction loses that share, unseen by the sender. For each loss, {r.RunsPerCell} runs of: the published `netjournal write -s SERVER` (default options) of {r.WriteNotes:N0} notes of ~30 B from a file on standard input, checked in the journal afterwards (exactly {r.WriteNotes:N0} notes under the writer's name, one instance, numbered 1..N in seq order with their input lines' texts, no duplicate); `netjournal history --all --format json > file` from a journal holding exactly {r.HistoryNotes:N0} notes of ~25 B, checked for seq 1..N in order; and as the reference, TCP: `curl --max-time {r.RunLimitSeconds:0}` fetching files of the same sizes (the write's input, the history's JSON output) from `python3 -m http.server` beside the servers. Every run is killed after {r.RunLimitSeconds:0} s and reported as failed. Retransmissions and the acknowledgement latency (from a note's first sending to its acknowledgement, every run's histogram added up) are from `write --stats-json`.").AppendLine();
        md.AppendLine(LossyBench.Table(r));
        if (r.WriteServerStopLine is { } stop) md.AppendLine(CultureInfo.InvariantCulture, $"The write server's stop line: `{stop.Trim()}`").AppendLine();
    }

    private static void WriteBulk(StringBuilder md, BulkResult b)
    {
        md.AppendLine("## Bulk writes against rsyslog, in turns (`bulk`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{b.Rounds} rounds; in each, rsyslog tuned's best zero-loss rate for {b.NoteBytes}-byte notes ({b.RsyslogVersion}, a fresh private rsyslogd, `compare`'s search with {F(b.TrialSeconds, 0)} s trials; from round 2 it starts at 0.8× the previous round's rate and climbs in tenths of it, bisecting once) and NetJournal's acknowledged, fsynced notes/s from {b.Writers} `netjournal write` processes × {b.NotesPerWriter:N0} notes (`load`, a fresh warmed-up server, the interactive client beside it), one after the other; rsyslog goes first in odd rounds. The target is the median of the ratios.").AppendLine();
        md.AppendLine("| round | first | NetJournal notes/s | rsyslog zero-loss notes/s (trials) | ratio |");
        md.AppendLine("| ---: | --- | ---: | ---: | ---: |");
        foreach (var r in b.RoundResults)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Round} | {r.First} | {F(r.NetJournal.NotesPerSecond, 0)} | {F(r.RsyslogPerSecond, 0)}{(r.Rsyslog.SenderLimited ? " (senders' limit)" : "")} ({r.Rsyslog.Trials.Count}) | {F(r.Ratio, 2)}× |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **median** | | **{F(b.MedianNetJournalPerSecond, 0)}** | **{F(b.MedianRsyslogPerSecond, 0)}** | **{F(b.MedianRatio, 2)}×** |").AppendLine();
    }

    private static void WriteClientCpu(StringBuilder md, ClientCpuResult c)
    {
        md.AppendLine("## Client CPU (`client-cpu`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"One `{Path.GetFileName(c.Cli)} write` of {c.Notes:N0} notes of {c.NoteBytes} B from a file on standard input, default options, against a server on 127.0.0.1: user + system CPU of the whole client process from its start (the shell's `times` for its waited-for child), beside a write of one note (start-up alone); the runs take turns.").AppendLine();
        md.AppendLine("| run | notes | wall (s) | user (s) | system (s) | µs a note |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        var i = 0;
        foreach (var (big, one) in c.Runs.Zip(c.OneNoteRuns))
        {
            i++;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {i} | {big.Notes:N0} | {F(big.Seconds, 2)} | {F(big.UserSeconds, 2)} | {F(big.SystemSeconds, 2)} | {F(big.CpuSeconds * 1e6 / big.Notes, 2)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| {i} | 1 | {F(one.Seconds, 2)} | {F(one.UserSeconds, 2)} | {F(one.SystemSeconds, 2)} | – |");
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"| **median** | {c.Notes:N0} | | | | **{F(c.MedianMicrosPerNote, 2)}** (start-up {F(c.MedianStartupCpuSeconds, 2)} s, the rest {F(c.MarginalMicrosPerNote, 2)} µs a note) |").AppendLine();
    }

    private static void WriteLoad(StringBuilder md, LoadResult l)
    {
        md.AppendLine("## Write load (`load`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{l.Writers} real `netjournal write --server 127.0.0.1:P --name N` processes, each reading {l.NotesPerWriter:N0} notes of {l.NoteBytes} bytes (one per line) from a pre-generated file as standard input, against a server process; timed from starting the first process to the last one exiting. Meanwhile a client in the benchmark process writes one note at a time, awaiting each; only its round trips that started once the bulk notes reached the server and ended before the last writer exited are kept. Between its notes a blocking socket sends a note of its own and a count request, without the client library: the note minus the count is the time spent in the server's commit path, the count is the round trip through a loaded machine.").AppendLine();
        md.AppendLine("| metric | value |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| writers that exited 0 (every note acknowledged) | {l.Writers - l.WritersFailed} of {l.Writers} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| notes acknowledged | {l.Acknowledged:N0} in {F(l.Seconds, 2)} s (bulk notes reached the server after {F(l.BulkFlowingAfterSeconds, 2)} s: process start-up) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **acknowledged notes/s** | **{F(l.NotesPerSecond, 0)}** ({F(l.PayloadMiBPerSecond, 1)} MiB/s of note text) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| notes not stored | {l.NotStored:N0} (server holds {l.ServerNotesAfter:N0}) |");
        if (l.BulkAckLatency is { } bulk)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| **bulk notes' acknowledgement latency** (from their datagram's first sending; every writer's `--stats-json` histogram added up, {bulk.Count:N0} notes): **median / p99 / p99.9** (p90, max) | **{Ms(bulk.MedianMs)} / {Ms(bulk.P99Ms)} / {Ms(bulk.P999Ms)}** ({Ms(bulk.P90Ms)}, {Ms(bulk.MaxMs)}) |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| bulk retransmissions (all writers) | {l.BulkRetransmissions:N0} |");
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"| server CPU (utime+stime) | {F(l.ServerCpuSeconds, 2)} s = {F(l.ServerCpuMicrosPerNote, 1)} µs/note |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| server RSS / peak (VmHWM) after load | {F(l.ServerMemoryAfter.RssMiB, 1)} / {F(l.ServerMemoryAfter.HwmMiB, 1)} MiB |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **interactive round trip under the bulk load, {l.InteractiveDuringLoad.Count} samples: median / p99** (p90, p99.9, max) | **{Ms(l.InteractiveDuringLoad.MedianMs)} / {Ms(l.InteractiveDuringLoad.P99Ms)}** ({Ms(l.InteractiveDuringLoad.P90Ms)}, {Ms(l.InteractiveDuringLoad.P999Ms)}, {Ms(l.InteractiveDuringLoad.MaxMs)}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| interactive, the {l.InteractiveAllWritersRunning.Count} while all {l.Writers} writers ran: median / p99 | {Ms(l.InteractiveAllWritersRunning.MedianMs)} / {Ms(l.InteractiveAllWritersRunning.P99Ms)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| interactive samples discarded (answered after the last writer exited) | {l.InteractiveDiscarded} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| interactive notes not stored, retransmissions | {l.InteractiveNotStored}, {l.InteractiveRetransmissions} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| where the time goes: a note without the client library (blocking socket), {l.ProbeAppendDuringLoad.Count} samples: median / p99 | {Ms(l.ProbeAppendDuringLoad.MedianMs)} / {Ms(l.ProbeAppendDuringLoad.P99Ms)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| where the time goes: a count, the server's round trip with no fsync, {l.ProbeCountDuringLoad.Count} samples: median / p99 | {Ms(l.ProbeCountDuringLoad.MedianMs)} / {Ms(l.ProbeCountDuringLoad.P99Ms)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| fsync on the data dir's disk (100 B append + Flush(true), ×{l.Fsync.Count}): median / p99 | {Ms(l.Fsync.MedianMs)} / {Ms(l.Fsync.P99Ms)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| loopback UDP round trip (echo socket, ×{l.LoopbackRtt.Count}): median / p99 | {Ms(l.LoopbackRtt.MedianMs)} / {Ms(l.LoopbackRtt.P99Ms)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| floor = median fsync + median loopback RTT | {Ms(l.FloorMs)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **interactive under load / floor: median, p99** | **{F(l.MedianRatio, 2)}×, {F(l.P99Ratio, 2)}×** |");
        md.AppendLine();
        md.AppendLine("Percentiles are nearest rank (with fewer than 1,000 samples, p99.9 is the largest). The writer processes, the server and the benchmark share the machine's cores.").AppendLine();
    }

    private static void WriteBatchTradeOff(StringBuilder md, LoadResult standard, List<LoadResult> others, CompareResult? compare)
    {
        md.AppendLine("## Typed-note latency against bulk throughput (`serve --max-batch`)").AppendLine();
        md.AppendLine("The same write load with the server's most notes per write and fsync lowered. A typed note waits for the commit already running, so shorter commits answer it sooner; but every commit costs an fsync, so fewer bulk notes are stored a second.").AppendLine();
        md.AppendLine("| --max-batch | bulk notes/s | × rsyslog | interactive median / p99 | median × floor | p99 × floor | note without the library, median | count round trip, median |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var rsyslog = compare?.Rsyslog.Best is null ? double.NaN : compare.Rsyslog.BestPerSecond;
        foreach (var l in others.Prepend(standard))
        {
            var batch = l.MaxBatch is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "512 (default)";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {batch} | {F(l.NotesPerSecond, 0)} | {F(l.NotesPerSecond / rsyslog, 2)}× | {Ms(l.InteractiveDuringLoad.MedianMs)} / {Ms(l.InteractiveDuringLoad.P99Ms)} | {F(l.MedianRatio, 2)}× | {F(l.P99Ratio, 2)}× | {Ms(l.ProbeAppendDuringLoad.MedianMs)} | {Ms(l.ProbeCountDuringLoad.MedianMs)} |");
        }
        md.AppendLine();
    }

    private static void WriteCompare(StringBuilder md, CompareResult c)
    {
        md.AppendLine("## References in the same run (`compare`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Fire-and-forget {c.NoteBytes}-byte UTF-8 notes on 127.0.0.1, each sender a thread with its own socket. **Raw limit**: a minimal .NET receiver (synchronous `ReceiveFrom(Span, SocketFlags, SocketAddress)` on a dedicated thread), SO_RCVBUF asked {c.Raw.RequestedBuffer:N0} bytes, granted **{c.Raw.GrantedBuffer / 2:N0}** (getsockopt reports {c.Raw.GrantedBuffer:N0}: Linux doubles the value for its bookkeeping; net.core.rmem_max caps the request), unpaced senders. **rsyslog**: a private `rsyslogd -n` ({c.RsyslogVersion}) with `{Path.GetFileName(c.RsyslogConfig)}` (WORK_DIR, OUTPUT_FILE, PORT replaced), its notes counted as lines of its output file once it stopped growing. **NetJournal plain text**: the same notes (no magic) into a `netjournal serve --rate-limit 0` (the default limit is 10,000 datagrams/s per source IP), counted with the server's note count. Zero-loss rates come from a bounded search over paced rates ({c.Senders} senders, {F(c.TrialSeconds, 1)} s per trial: up from 50,000/s in steps of 50,000 until the first loss, then 2 bisections); the rate reported is the one the senders achieved. NetJournal's server asks for a 4 MiB receive buffer too.").AppendLine();
        md.AppendLine("| raw receiver | sent/s | received/s | MiB/s received | lost |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in c.Raw.Runs)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Senders} sender(s), {r.DatagramBytes:N0}-byte datagrams | {F(r.Sent.SentPerSecond, 0)} | {F(r.Received.DatagramsPerSecond, 0)} | {F(r.Received.BytesPerSecond / 1048576, 1)} | {r.Lost:N0} ({F(r.LossPercent, 2)}%) |");
        md.AppendLine();
        foreach (var search in new[] { c.Rsyslog, c.NetJournalPlain })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**{search.Receiver}**: best zero-loss rate **{F(search.BestPerSecond, 0)}/s**{(search.SenderLimited ? " (the senders could not go faster: a lower bound)" : "")}.").AppendLine();
            md.AppendLine("| trial | offered/s | sent/s | sent | stored | lost |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var t in search.Trials)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Trial} | {F(t.OfferedPerSecond, 0)} | {F(t.SentPerSecond, 0)} | {t.Sent:N0} | {t.Delivered:N0} | {t.Lost:N0} |");
            md.AppendLine();
        }
        if (c.NetJournalAtRsyslogRate is { } at)
            md.AppendLine(CultureInfo.InvariantCulture, $"NetJournal at rsyslog's zero-loss rate, after its own search (offered {F(at.OfferedPerSecond, 0)}/s, sent {F(at.SentPerSecond, 0)}/s): {at.Delivered:N0} of {at.Sent:N0} stored, **{at.Lost:N0} lost**.").AppendLine();
        if (c.NetJournalStopLine is { } stop)
            md.AppendLine(CultureInfo.InvariantCulture, $"NetJournal's stop line after these trials: `{stop.Trim()}`").AppendLine();
    }

    private static JsonArray WriteMicro(StringBuilder md, List<string> tables, List<string> jsons)
    {
        var micro = new JsonArray();
        if (tables.Count == 0) return micro;
        md.AppendLine("## Micro benchmarks (`micro`, BenchmarkDotNet `--job short`)").AppendLine();
        md.AppendLine("ShortRun (3 warm-ups, 3 iterations): indicative, with wide error bars. Tables as BenchmarkDotNet wrote them (bench/results/micro/results/).").AppendLine();
        var first = true;
        foreach (var file in tables)
        {
            var text = File.ReadAllText(file).Trim();
            // The environment block (``` ... ```) is the same in every file: keep it once.
            var fence = text.StartsWith("```", StringComparison.Ordinal) ? text.IndexOf("```", 3, StringComparison.Ordinal) : -1;
            var env = fence > 0 ? text[..(fence + 3)] : "";
            var table = fence > 0 ? text[(fence + 3)..].Trim() : text;
            if (first && env.Length > 0) md.AppendLine(env).AppendLine();
            first = false;
            var name = Path.GetFileName(file).Replace("-report-github.md", "", StringComparison.Ordinal);
            md.AppendLine(CultureInfo.InvariantCulture, $"### {name[(name.LastIndexOf('.') + 1)..]}").AppendLine();
            md.AppendLine(table).AppendLine();
        }
        foreach (var file in jsons)
        {
            if (JsonNode.Parse(File.ReadAllText(file))?["Benchmarks"] is not JsonArray benchmarks) continue;
            foreach (var b in benchmarks)
            {
                if (b is null) continue;
                micro.Add(new JsonObject
                {
                    ["type"] = b["Type"]?.GetValue<string>(),
                    ["method"] = b["Method"]?.GetValue<string>(),
                    ["meanNs"] = b["Statistics"]?["Mean"]?.GetValue<double>(),
                    ["stdDevNs"] = b["Statistics"]?["StandardDeviation"]?.GetValue<double>(),
                    ["medianNs"] = b["Statistics"]?["Median"]?.GetValue<double>(),
                    ["allocatedBytes"] = b["Memory"]?["BytesAllocatedPerOperation"]?.GetValue<long>(),
                });
            }
        }
        return micro;
    }

    private static JsonObject Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new JsonObject
        {
            ["cpu"] = cpu ?? RuntimeInformation.ProcessArchitecture.ToString(),
            ["processors"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        };
    }

    private static void Row(StringBuilder md, string label, double a, double b, int digits, string? ratio = null) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {F(a, digits)} | {F(b, digits)} | {ratio ?? (a > 0 ? F(b / a, 2) + "×" : "–")} |");

    private static string Pct(long part, long whole) => (100.0 * part / whole).ToString("F0", CultureInfo.InvariantCulture) + "%";

    internal static string Ms(double ms) => ms < 1 ? F(ms * 1000, 0) + " µs" : F(ms, 2) + " ms";

    internal static string F(double value, int digits) =>
        double.IsNaN(value) ? "–" : value.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
