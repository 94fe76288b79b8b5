using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using NetJournal.Bench.Infra;

namespace NetJournal.Bench;

/// <summary>One `netjournal write` process: its exit code, wall time, and user and system CPU (the whole process, start-up included).</summary>
internal sealed record ClientCpuRun(int Notes, int ExitCode, double Seconds, double UserSeconds, double SystemSeconds)
{
    public double CpuSeconds => UserSeconds + SystemSeconds;
}

/// <summary>
/// `client-cpu`: R writes of M notes (the issue's measure), and R writes of one note (what start-up alone costs);
/// the median CPU per note of the M-note writes, and the start-up and marginal parts.
/// </summary>
internal sealed record ClientCpuResult(
    int Notes, int NoteBytes, string Cli, IReadOnlyList<ClientCpuRun> Runs, IReadOnlyList<ClientCpuRun> OneNoteRuns,
    double MedianCpuSeconds, double MedianMicrosPerNote, double MedianStartupCpuSeconds, double MarginalMicrosPerNote, string? ServerStopLine);

/// <summary>
/// `client-cpu M R`: the client's CPU per note as the issue measures it: one published `netjournal write` of M notes of
/// 100 B (default 800,000) on 127.0.0.1, its notes read from a file on standard input, default options; user + system
/// CPU of the whole client process, process start included, from the kernel's accounting of a waited-for child
/// (getrusage(RUSAGE_CHILDREN) as the shell's `times` prints it, 10 ms resolution). R runs of each (default 3), the
/// runs of M notes and of one note taking turns; the server is a real `netjournal serve` with the default options.
/// </summary>
internal static partial class ClientCpuBench
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    public static async Task<ClientCpuResult> RunAsync(int notes, int runs)
    {
        var dir = RepoPaths.NewTempDirectory("client-cpu");
        try
        {
            var input = Path.Combine(dir, "notes.txt");
            File.WriteAllLines(input, LoadBench.Texts(0, notes), new UTF8Encoding(false));
            var one = Path.Combine(dir, "one.txt");
            File.WriteAllLines(one, LoadBench.Texts(1, 1), new UTF8Encoding(false));
            var data = Directory.CreateDirectory(Path.Combine(dir, "data")).FullName;
            await using var server = ServerProcess.Start(RepoPaths.BuiltCliDll, data, IPAddress.Loopback);
            await server.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(1));
            var target = $"127.0.0.1:{server.EndPoint.Port.ToString(CultureInfo.InvariantCulture)}";
            Console.Error.WriteLine($"client-cpu: {RepoPaths.CliDll} write of {notes:N0} notes of {LoadBench.NoteBytes} B from a file on stdin, {runs} runs, against a server on {target}");

            var big = new List<ClientCpuRun>();
            var small = new List<ClientCpuRun>();
            for (var r = 0; r < runs; r++)
            {
                var run = await WriteAsync(input, notes, target, $"cpu-{r}");
                big.Add(run);
                Console.Error.WriteLine($"client-cpu: {notes:N0} notes: exit {run.ExitCode} after {run.Seconds:F2} s, CPU user {run.UserSeconds:F2} s + system {run.SystemSeconds:F2} s = {run.CpuSeconds * 1e6 / notes:F2} µs a note");
                var startup = await WriteAsync(one, 1, target, $"cpu-one-{r}");
                small.Add(startup);
                Console.Error.WriteLine($"client-cpu: 1 note: exit {startup.ExitCode} after {startup.Seconds:F2} s, CPU user {startup.UserSeconds:F2} s + system {startup.SystemSeconds:F2} s");
            }
            await server.StopAsync(TimeSpan.FromSeconds(30));
            var cpu = Median(big.Select(r => r.CpuSeconds));
            var startupCpu = Median(small.Select(r => r.CpuSeconds));
            var result = new ClientCpuResult(notes, LoadBench.NoteBytes, RepoPaths.CliDll, big, small, cpu, cpu * 1e6 / notes, startupCpu,
                (cpu - startupCpu) * 1e6 / notes, server.StopLine);
            Console.WriteLine($"client-cpu: `netjournal write` of {notes:N0} notes of {LoadBench.NoteBytes} B: median {cpu:F2} s of CPU = {result.MedianMicrosPerNote:F2} µs a note (start-up, a 1-note write: {startupCpu:F2} s; the rest {result.MarginalMicrosPerNote:F2} µs a note)");
            return result;
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    /// <summary>
    /// One writer under `sh`, which waits for it and then prints its children's CPU with `times` (the second line:
    /// user and system time of waited-for children); the writer is the shell's only child.
    /// </summary>
    private static async Task<ClientCpuRun> WriteAsync(string input, int notes, string target, string name)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args = ["-c", "f=$1; shift; \"$@\" < \"$f\"; s=$?; times; exit $s", "sh", input, .. RepoPaths.CliCommand, "write", "--server", target, "--name", name];
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var exit = await BoundedProcess.RunAsync(info, RunLimit);
        if (exit.TimedOut) throw new InvalidOperationException($"a write of {notes:N0} notes ran past {RunLimit.TotalMinutes:0} minutes");
        var lines = exit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var times = lines.Length >= 2 ? TimesPattern().Match(lines[^1]) : Match.Empty;
        if (!times.Success) throw new InvalidOperationException($"no CPU times from the shell: {exit.Output} {exit.Error}");
        if (exit.ExitCode != 0) Console.Error.WriteLine($"client-cpu: write exited {exit.ExitCode}: {exit.Error.Trim()}");
        return new ClientCpuRun(notes, exit.ExitCode, exit.Seconds, Seconds(times, 1), Seconds(times, 3));
    }

    private static double Seconds(Match m, int group) =>
        int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) * 60 + double.Parse(m.Groups[group + 1].Value, CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>`times`' line for children: "0m0.870000s 0m0.440000s" (dash) or "0m0.870s 0m0.440s" (bash).</summary>
    [GeneratedRegex(@"^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$")]
    private static partial Regex TimesPattern();
}
