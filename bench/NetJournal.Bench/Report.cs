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
        var microDir = Path.Combine(results, "micro", "results");
        var microTables = Directory.Exists(microDir) ? Directory.GetFiles(microDir, "*-report-github.md").Order(StringComparer.Ordinal).ToList() : [];
        var microJson = Directory.Exists(microDir) ? Directory.GetFiles(microDir, "*-report*.json").Order(StringComparer.Ordinal).ToList() : [];
        var machine = Machine();

        var md = new StringBuilder();
        md.AppendLine("# NetJournal benchmarks").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/run.sh` on {machine["cpu"]} ({machine["processors"]} logical CPUs), {machine["os"]}, {machine["runtime"]}.");
        md.AppendLine("Server figures are from a real `netjournal serve` process on 127.0.0.1 (its /proc/PID/status and /proc/PID/stat); clients run in the benchmark process.").AppendLine();
        if (memory is not null) WriteMemory(md, memory);
        if (load is not null) WriteLoad(md, load);
        var micro = WriteMicro(md, microTables, microJson);

        File.WriteAllText(Path.Combine(results, "latest.md"), md.ToString());
        var json = new JsonObject
        {
            ["generatedUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = machine,
            ["memory"] = memory is null ? null : JsonSerializer.SerializeToNode(memory, Json.Options),
            ["load"] = load is null ? null : JsonSerializer.SerializeToNode(load, Json.Options),
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
        md.AppendLine(CultureInfo.InvariantCulture, $"A journal of N notes (80–120 UTF-8 bytes of text each: ASCII, Chinese and mixed; 50 clients; {Pct(a.WithDedupFields, a.Notes)} with instance/num) written directly to a file, then opened by a server process. \"Start-up\" is from process start to the first answered CountRequest. The fetch is one client reading the whole history (HistoryAsync, 8 pages in flight); MiB/s counts the notes' wire bytes. Grep is `--grep {m.Runs[0].GrepQuery}` over the whole journal (~1% match): its count alone (once by a client whose timeout never fires, once by a default client), then the whole fetch; the server is left to go idle before each.").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| | {a.Notes:N0} notes | {b.Notes:N0} notes | ratio |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        Row(md, "journal file (MiB)", a.FileMiB, b.FileMiB, 1);
        Row(md, "start-up to first answer (ms)", a.StartToFirstAnswerMs, b.StartToFirstAnswerMs, 0);
        Row(md, "server log \"opened in\" (ms)", a.ServerOpenedInMs ?? double.NaN, b.ServerOpenedInMs ?? double.NaN, 0);
        Row(md, "RSS after start-up (MiB)", a.AfterStart.RssMiB, b.AfterStart.RssMiB, 1);
        Row(md, "peak RSS (VmHWM) after start-up (MiB)", a.AfterStart.HwmMiB, b.AfterStart.HwmMiB, 1);
        Row(md, "full fetch: time (s)", a.Fetch.Seconds, b.Fetch.Seconds, 2);
        Row(md, "full fetch: notes/s", a.Fetch.NotesPerSecond, b.Fetch.NotesPerSecond, 0);
        Row(md, "full fetch: MiB/s (wire bytes of notes)", a.Fetch.MiBPerSecond, b.Fetch.MiBPerSecond, 1);
        Row(md, "full fetch: retransmissions", a.Fetch.Retransmissions, b.Fetch.Retransmissions, 0);
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
        Row(md, "SIGTERM to exit (s), exit code", a.StopSeconds, b.StopSeconds, 2, $"{a.ExitCode} / {b.ExitCode}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Marginal resident memory per note (RSS after start-up, 2N − N): **{F(m.Ratios.MarginalRssBytesPerNote, 0)} bytes/note**.").AppendLine();
    }

    private static void WriteLoad(StringBuilder md, LoadResult l)
    {
        md.AppendLine("## Write load (`load`)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{l.Writers} concurrent writers (one JournalClient each, pipelined `WriteAsync(IAsyncEnumerable<string>)`) × {l.NotesPerWriter:N0} notes of {l.NoteBytes} bytes against a server process; meanwhile one more client writes {LoadBench.InteractiveNotes} notes one at a time, awaiting each.").AppendLine();
        md.AppendLine("| metric | value |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| notes acknowledged | {l.Acknowledged:N0} in {F(l.Seconds, 2)} s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **acknowledged notes/s** | **{F(l.NotesPerSecond, 0)}** ({F(l.PayloadMiBPerSecond, 1)} MiB/s of note text) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| retransmissions (bulk writers) | {l.Retransmissions:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| notes not stored | {l.NotStored:N0} (server holds {l.ServerNotesAfter:N0}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| server CPU (utime+stime) | {F(l.ServerCpuSeconds, 2)} s = {F(l.ServerCpuMicrosPerNote, 1)} µs/note |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| server RSS / peak (VmHWM) after load | {F(l.ServerMemoryAfter.RssMiB, 1)} / {F(l.ServerMemoryAfter.HwmMiB, 1)} MiB |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **interactive round trip, all {l.Interactive.Count}: median / p99 / p99.9** (p90, max) | **{Ms(l.Interactive.MedianMs)} / {Ms(l.Interactive.P99Ms)} / {Ms(l.Interactive.P999Ms)}** ({Ms(l.Interactive.P90Ms)}, {Ms(l.Interactive.MaxMs)}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| interactive, the {l.InteractiveDuringLoad.Count} started while the bulk load ran: median / max | {Ms(l.InteractiveDuringLoad.MedianMs)} / {Ms(l.InteractiveDuringLoad.MaxMs)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| interactive, the {l.InteractiveAfterLoad.Count} after it: median / p99 / max | {Ms(l.InteractiveAfterLoad.MedianMs)} / {Ms(l.InteractiveAfterLoad.P99Ms)} / {Ms(l.InteractiveAfterLoad.MaxMs)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| interactive notes not stored, retransmissions | {l.InteractiveNotStored}, {l.InteractiveRetransmissions} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| fsync on the data dir's disk (100 B append + Flush(true), ×{l.Fsync.Count}): median / p99 | {Ms(l.Fsync.MedianMs)} / {Ms(l.Fsync.P99Ms)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| loopback UDP round trip (echo socket, ×{l.LoopbackRtt.Count}): median / p99 | {Ms(l.LoopbackRtt.MedianMs)} / {Ms(l.LoopbackRtt.P99Ms)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **target ratio**: median interactive (all) / (fsync + loopback RTT) | **{F(l.TargetRatio, 2)}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| target ratio, samples under bulk load only / after it only | {F(l.TargetRatioDuringLoad, 1)} / {F(l.TargetRatioAfterLoad, 2)} |");
        md.AppendLine();
        md.AppendLine("The interactive client writes back to back, so when the bulk load makes each round trip slow, few of the 200 fall inside it and the rest measure an idle server: the split rows show both. Percentiles are nearest rank; with 200 samples p99.9 is the largest sample.").AppendLine();
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

    private static string Ms(double ms) => ms < 1 ? F(ms * 1000, 0) + " µs" : F(ms, 2) + " ms";

    private static string F(double value, int digits) =>
        double.IsNaN(value) ? "–" : value.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
