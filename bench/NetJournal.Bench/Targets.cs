using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace NetJournal.Bench;

/// <summary>One row of the targets table. Met is null where there is no threshold or a figure is missing.</summary>
internal sealed record TargetRow(string Id, string Target, string NetJournal, string Reference, double? Ratio, string Goal, bool? Met, string? Note = null);

/// <summary>The issue's targets, each NetJournal figure against a reference measured in the same run.</summary>
internal static class Targets
{
    /// <summary>150 MB read as 150 × 10^6 bytes, the stricter reading (143.05 MiB).</summary>
    private const double MemoryLimitMiB = 150e6 / 1048576;

    public static List<TargetRow> Evaluate(MemoryResult? memory, LoadResult? load, CompareResult? compare, JsonArray micro, BulkResult? bulk = null, ClientCpuResult? clientCpu = null)
    {
        var rows = new List<TargetRow>();
        var rsyslog = compare?.Rsyslog.Best is null ? double.NaN : compare.Rsyslog.BestPerSecond;
        var rsyslogText = compare is null ? "not measured" : compare.Rsyslog.Best is null ? "no zero-loss rate found" : $"rsyslog tuned, zero-loss: {F(rsyslog, 0)} notes/s";

        // 1. Bulk acknowledged, fsynced notes from real `netjournal write` processes, in turns with rsyslog's search.
        if (bulk is not null)
        {
            var ratio = bulk.MedianRatio;
            var limited = bulk.RoundResults.Count(r => r.Rsyslog.SenderLimited);
            string Rounds(Func<BulkRound, double> f) => string.Join(", ", bulk.RoundResults.Select(r => F(f(r) / 1000, 0) + "k"));
            rows.Add(new TargetRow("1", $"bulk acknowledged, fsynced notes: {bulk.Writers} `netjournal write` processes × {bulk.NotesPerWriter:N0} notes of {bulk.NoteBytes} B from stdin; {bulk.Rounds} rounds, NetJournal and rsyslog taking turns (the first alternating), the median of the round-by-round ratios",
                $"median {F(bulk.MedianNetJournalPerSecond, 0)} notes/s (rounds: {Rounds(r => r.NetJournal.NotesPerSecond)}; {bulk.Writers * bulk.Rounds - bulk.WritersFailed}/{bulk.Writers * bulk.Rounds} writers exited 0)",
                $"rsyslog tuned, zero-loss, same rounds: median {F(bulk.MedianRsyslogPerSecond, 0)} notes/s (rounds: {Rounds(r => r.RsyslogPerSecond)})", Nan(ratio), "≥ 1.0×",
                // Where the senders could not reach the rate offered, rsyslog's figure is only a lower bound: a ratio
                // at or above 1.0 then proves nothing when most rounds were so limited; a ratio below 1.0 still misses.
                double.IsNaN(ratio) ? null : bulk.WritersFailed > 0 || ratio < 1.0 ? false : limited * 2 > bulk.Rounds ? null : true,
                $"ratios by round: {string.Join(", ", bulk.RoundResults.Select(r => F(r.Ratio, 2) + "×"))}" +
                (limited > 0 ? $"; in {limited} of {bulk.Rounds} rounds rsyslog's senders could not reach the rate offered, so its figure there is a lower bound and the ratio an upper one" : "")));
        }
        else rows.Add(Missing("1", "bulk acknowledged notes, in turns with rsyslog", "bulk.json"));

        // 2. Plain-text datagrams, fire-and-forget.
        if (compare is not null)
        {
            var plain = compare.NetJournalPlain.BestPerSecond;
            var ratio = plain / rsyslog;
            rows.Add(new TargetRow("2", $"plain-text {compare.NoteBytes} B datagrams, fire-and-forget, `--rate-limit 0`: best zero-loss rate",
                $"{F(plain, 0)} notes/s{(compare.NetJournalPlain.SenderLimited ? " (senders' limit: lower bound)" : "")}", rsyslogText, Nan(ratio), "≥ 1.0×",
                double.IsNaN(ratio) ? null : ratio >= 1.0));
            var at = compare.NetJournalAtRsyslogRate;
            rows.Add(new TargetRow("2b", "plain-text datagrams at rsyslog's zero-loss rate: notes lost",
                at is null ? "not measured" : $"{at.Lost:N0} of {at.Sent:N0} lost (sent at {F(at.SentPerSecond, 0)}/s)",
                at is null ? "–" : $"rsyslog: 0 lost at {F(rsyslog, 0)}/s", null, "0 lost", at is null ? null : at.Lost == 0));
        }
        else rows.Add(Missing("2", "plain-text datagrams", "compare.json"));

        // 3. Interactive latency under the bulk load of (1).
        if (load is not null)
        {
            var floor = $"fsync {Report.Ms(load.Fsync.MedianMs)} + loopback RTT {Report.Ms(load.LoopbackRtt.MedianMs)} = {Report.Ms(load.FloorMs)}";
            // What the loaded machine allows at all: a count goes through the same socket, threads and cores with no fsync.
            var count = load.ProbeCountDuringLoad;
            string Alone(double ms) => $"a count with no fsync, same load: {Report.Ms(ms)} = {Report.F(ms / load.FloorMs, 1)}× the floor";
            rows.Add(new TargetRow("3a", $"interactive note round trip while the bulk load of (1) runs: median ({load.InteractiveDuringLoad.Count} samples)",
                Report.Ms(load.InteractiveDuringLoad.MedianMs), floor, Nan(load.MedianRatio), "≤ 2×", Met(load.MedianRatio, r => r <= 2), Alone(count.MedianMs)));
            rows.Add(new TargetRow("3b", "interactive note round trip while the bulk load runs: p99",
                Report.Ms(load.InteractiveDuringLoad.P99Ms), floor, Nan(load.P99Ratio), "≤ 10×", Met(load.P99Ratio, r => r <= 10), Alone(count.P99Ms)));
        }

        // 4. History fetch against the raw loopback limit for the same bytes.
        if (memory is not null)
        {
            var run = memory.Runs[0];
            var fetch = run.Fetch.MiBPerSecond;
            var big = compare?.Raw.Runs.FirstOrDefault(r => r.DatagramBytes == CompareBench.HistoryDatagramBytes && r.Senders == 1);
            var small = compare?.Raw.Runs.FirstOrDefault(r => r.DatagramBytes == UdpLoad100 && r.Senders == 1);
            var what = $"history: {run.Notes:N0} notes fetched by one client (MiB/s of note wire bytes)";
            if (big is not null)
            {
                var raw = big.Received.BytesPerSecond / 1048576;
                rows.Add(new TargetRow("4", what + $", against raw UDP in datagrams of the history's page size ({CompareBench.HistoryDatagramBytes:N0} B)",
                    $"{F(fetch, 1)} MiB/s ({F(run.Fetch.Seconds, 2)} s)", $"raw loopback, {CompareBench.HistoryDatagramBytes:N0} B datagrams: {F(raw, 1)} MiB/s", fetch / raw, "≥ 0.5×", fetch / raw >= 0.5));
            }
            if (small is not null)
            {
                var raw = small.Received.BytesPerSecond / 1048576;
                rows.Add(new TargetRow("4′", what + ", against raw UDP in 100 B datagrams (the receiver of reference (a))",
                    $"{F(fetch, 1)} MiB/s", $"raw loopback, 100 B datagrams, 1 sender: {F(raw, 1)} MiB/s", fetch / raw, "≥ 0.5×", fetch / raw >= 0.5,
                    "the lenient reading: the raw receiver moves 100 B per datagram, the history up to 65,000"));
            }
            if (big is null && small is null) rows.Add(Missing("4", what, "compare.json"));
        }
        else rows.Add(Missing("4", "history fetch", "memory.json"));

        // 5. Decoding allocates nothing (every message type's view), handling an append, and memory at 1M.
        var views = micro.OfType<JsonObject>()
            .Where(m => m["method"]?.GetValue<string>() == "ViewRead")
            .Select(m => (Type: Short(m["type"]?.GetValue<string>())?.Replace("CodecBenchmarks", "", StringComparison.Ordinal), Bytes: m["allocatedBytes"]?.GetValue<long>() ?? -1))
            .ToList();
        rows.Add(new TargetRow("5a", $"decoding a datagram, each of the {views.Count} message types read in place (BenchmarkDotNet MemoryDiagnoser, `ViewRead`)",
            views.Count > 0 ? string.Join("; ", views.Select(v => $"{v.Type} {v.Bytes} B")) : "micro not run", "0 B", null, "0 B each",
            views.Count == 0 ? null : views.All(v => v.Bytes == 0),
            "the records MessageCodec.TryDecode returns are built from these views: what they allocate is what the caller keeps"));
        long? Allocated(string method) =>
            micro.OfType<JsonObject>().FirstOrDefault(m => m["method"]?.GetValue<string>() == method)?["allocatedBytes"]?.GetValue<long>();
        var received = Allocated("HandleAppendOf1Note");
        var committed = Allocated("HandleAndCommitAppendsOf1Note");
        if (received is { } receiveBytes && committed is { } bytes)
        {
            var kept = System.Runtime.CompilerServices.Unsafe.SizeOf<NetJournal.Storage.IndexEntry>();
            rows.Add(new TargetRow("5c", "handling a 1-note append, datagram to acknowledgement, per note (BenchmarkDotNet MemoryDiagnoser: 64 clients' appends received, then committed as one batch to a real file)",
                $"{bytes} B allocated per note (of which receiving: {receiveBytes} B)", $"what a stored note keeps: its {kept}-byte index entry", bytes / (double)kept, "≤ 1.0×", bytes <= kept,
                "queue entries and tail buffers are reused; the index entry is allocated in chunks of 65,536"));
        }
        else rows.Add(Missing("5c", "handling an append", "micro results"));
        if (memory is not null)
        {
            var run = memory.Runs[0];
            var peak = new[] { run.AfterStart.HwmMiB, run.AfterFetch.HwmMiB, run.AfterGrep.HwmMiB }.Max();
            rows.Add(new TargetRow("5b", $"server peak RSS (VmHWM) with {run.Notes:N0} notes, after start-up, full fetch and grep",
                $"{F(peak, 1)} MiB", $"150 MB = {F(MemoryLimitMiB, 1)} MiB", peak / MemoryLimitMiB, "< 1.0× (< 150 MB)", peak < MemoryLimitMiB));

            // 6. Append throughput and start-up, N → 2N.
            var (a, b) = (memory.Runs[0], memory.Runs[1]);
            var change = memory.Ratios.AppendNotesPerSecond;
            rows.Add(new TargetRow("6a", $"append throughput with {b.Notes:N0} vs {a.Notes:N0} notes in the journal ({a.Append.Writers} clients; {a.Append.Rounds} rounds after a warm-up, the two servers taking turns; the median of the {a.Append.Rounds} round-by-round ratios)",
                $"median {F(b.Append.MedianNotesPerSecond, 0)} notes/s (rounds: {Rounds(b.Append)})", $"median {F(a.Append.MedianNotesPerSecond, 0)} notes/s at {a.Notes:N0} (rounds: {Rounds(a.Append)})", Nan(change), "within ±10% (0.90–1.10×)",
                double.IsNaN(change) ? null : Math.Abs(change - 1) < 0.10));
            var startup = b.StartToFirstAnswerMs / a.StartToFirstAnswerMs;
            rows.Add(new TargetRow("6b", $"start-up (process start to first answer), {b.Notes:N0} vs {a.Notes:N0} notes",
                $"{F(b.StartToFirstAnswerMs, 0)} ms", $"{F(a.StartToFirstAnswerMs, 0)} ms at {a.Notes:N0}", Nan(startup), "≤ 2.2×", Met(startup, r => r <= 2.2)));
        }
        else rows.Add(Missing("5b/6", "memory, append and start-up at N and 2N", "memory.json"));

        // 7. What one writer costs: CPU per note of the whole client process, start-up included.
        if (clientCpu is not null)
        {
            var perNote = clientCpu.MedianMicrosPerNote;
            rows.Add(new TargetRow("7", $"client CPU (user + system, the whole process from its start) of one `netjournal write` of {clientCpu.Notes:N0} notes of {clientCpu.NoteBytes} B from a file on stdin, median of {clientCpu.Runs.Count}",
                $"{F(perNote, 2)} µs a note ({F(clientCpu.MedianCpuSeconds, 2)} s)", "0.5 µs a note", perNote / 0.5, "≤ 1.0× (≤ 0.5 µs)", perNote <= 0.5,
                $"of which start-up (a 1-note write) {F(clientCpu.MedianStartupCpuSeconds, 2)} s; the rest {F(clientCpu.MarginalMicrosPerNote, 2)} µs a note"));
        }
        else rows.Add(Missing("7", "client CPU per note", "client-cpu.json"));
        return rows;
    }

    /// <summary>
    /// The lossy path's targets: L1 at 5% loss, write and history within 1.5× their own 0% times; L2 at 10% and 20%,
    /// no slower than TCP fetching the same bytes (median against median); L3 at 30%, every run completes with every
    /// note stored once and in order. A level that was not measured gives a row without a verdict.
    /// </summary>
    public static List<TargetRow> EvaluateLossy(LossyResult lossy)
    {
        var rows = new List<TargetRow>();
        LossyLevel? At(int percent) => lossy.Levels.FirstOrDefault(l => l.LossPercent == percent);
        string Median(RunSpread s) => double.IsNaN(s.MedianSeconds) ? $"failed ({s.Completed}/{s.Runs} completed)" : $"{F(s.MedianSeconds, 2)} s ({F(s.MinSeconds, 2)}–{F(s.MaxSeconds, 2)}, {s.Completed}/{s.Runs} completed)";
        TargetRow NotMeasured(string id, string what) => new(id, what, "not measured (loss level not run)", "–", null, "–", null);

        // A failed NetJournal cell misses; a failed reference (TCP gave up) is beaten by any cell that completed.
        TargetRow Compare(string id, string what, RunSpread netJournal, RunSpread reference, string referenceName, double goal)
        {
            var ratio = netJournal.MedianSeconds / reference.MedianSeconds;
            bool? met = double.IsNaN(netJournal.MedianSeconds) ? false : double.IsNaN(reference.MedianSeconds) ? true : ratio <= goal;
            return new TargetRow(id, what, Median(netJournal), $"{referenceName}: {Median(reference)}", Nan(ratio), $"≤ {F(goal, 1)}×", met,
                double.IsNaN(reference.MedianSeconds) && !double.IsNaN(netJournal.MedianSeconds) ? "the reference did not complete" : null);
        }

        var (zero, five) = (At(0), At(5));
        if (zero is not null && five is not null)
        {
            rows.Add(Compare("L1a", $"lossy path, 5% loss each way: `netjournal write` of {lossy.WriteNotes:N0} notes, process start to exit, median", five.Write, zero.Write, "the same at 0% loss", 1.5));
            rows.Add(Compare("L1b", $"lossy path, 5% loss each way: `netjournal history --all` of {lossy.HistoryNotes:N0} notes, median", five.History, zero.History, "the same at 0% loss", 1.5));
        }
        else rows.Add(NotMeasured("L1", "lossy path, 5% loss: write and history within 1.5× their 0% times"));

        foreach (var (percent, id) in new[] { (10, "L2a"), (20, "L2b") })
        {
            if (At(percent) is { } level)
            {
                rows.Add(Compare(id + "1", $"lossy path, {percent}% loss each way: `netjournal write` of {lossy.WriteNotes:N0} notes ({lossy.WriteBytes:N0} B), median", level.Write, level.TcpWriteSize, $"TCP, curl of {lossy.WriteBytes:N0} B", 1.0));
                rows.Add(Compare(id + "2", $"lossy path, {percent}% loss each way: `netjournal history --all` of {lossy.HistoryNotes:N0} notes ({lossy.HistoryBytes:N0} B of JSON), median", level.History, level.TcpHistorySize, $"TCP, curl of {lossy.HistoryBytes:N0} B", 1.0));
            }
            else rows.Add(NotMeasured(id, $"lossy path, {percent}% loss: write and history no slower than TCP"));
        }

        if (At(30) is { } worst)
        {
            var writes = worst.Writes.Count(w => w.Completed);
            var histories = worst.Histories.Count(h => h.Completed);
            rows.Add(new TargetRow("L3", $"lossy path, 30% loss each way: every run completes, every note stored once and in order ({lossy.RunsPerCell} writes of {lossy.WriteNotes:N0} notes, {lossy.RunsPerCell} histories of {lossy.HistoryNotes:N0})",
                $"writes {writes}/{worst.Writes.Count} (exit 0, stored once, in order), histories {histories}/{worst.Histories.Count}",
                $"TCP: {worst.TcpWriteSize.Completed}/{worst.TcpWriteSize.Runs} and {worst.TcpHistorySize.Completed}/{worst.TcpHistorySize.Runs} fetches completed", null, "every run", worst.AllCompleted));
        }
        else rows.Add(NotMeasured("L3", "lossy path, 30% loss: every run completes, every note stored once and in order"));
        return rows;
    }

    private static string Rounds(AppendResult a) => string.Join(", ", a.RoundNotesPerSecond.Select(r => F(r / 1000, 0) + "k"));

    private const int UdpLoad100 = Infra.UdpLoad.NoteBytes;

    public static void Write(StringBuilder md, IReadOnlyList<TargetRow> rows)
    {
        md.AppendLine("## Targets").AppendLine();
        md.AppendLine("| # | target | NetJournal | reference (same run) | ratio | goal | met |");
        md.AppendLine("| --- | --- | ---: | --- | ---: | --- | --- |");
        foreach (var r in rows)
        {
            var met = r.Met switch { true => "yes", false => "**NO — missed**", null => "–" };
            var target = r.Note is null ? r.Target : $"{r.Target} ({r.Note})";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Id} | {target} | {r.NetJournal} | {r.Reference} | {(r.Ratio is { } x && !double.IsNaN(x) ? F(x, 2) + "×" : "–")} | {r.Goal} | {met} |");
        }
        var missed = rows.Where(r => r.Met == false).Select(r => r.Id).ToList();
        md.AppendLine();
        md.AppendLine(missed.Count == 0 ? "Every target with a threshold was met in this run." : $"Missed in this run: {string.Join(", ", missed)}.").AppendLine();
    }

    private static TargetRow Missing(string id, string what, string file) => new(id, what, $"not measured ({file} missing)", "–", null, "–", null);

    private static double? Nan(double x) => double.IsNaN(x) || double.IsInfinity(x) ? null : x;

    private static bool? Met(double ratio, Func<double, bool> ok) => double.IsNaN(ratio) ? null : ok(ratio);

    private static string Short(string? type) =>
        type is null ? "?" : type.Replace("CodecBenchmarks", "", StringComparison.Ordinal).Replace("Benchmarks", "", StringComparison.Ordinal);

    private static string F(double value, int digits) => Report.F(value, digits);
}
