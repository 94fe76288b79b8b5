using System.Collections.Concurrent;
using System.Diagnostics;

namespace NetJournal.Bench.Infra;

/// <summary>How one bounded process ended: its exit code (-1 when killed at the limit), the time from start to exit, and its output.</summary>
internal sealed record BoundedExit(int ExitCode, bool TimedOut, double Seconds, string Output, string Error);

/// <summary>
/// Runs a process to its end, but no longer than a limit: one still running then is killed with its children and
/// reported as timed out. Processes still running when the benchmark is ended early are signalled.
/// </summary>
internal static class BoundedProcess
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    /// <summary>Starts <paramref name="info"/> (standard output and error redirected) and waits for it, at most <paramref name="limit"/>.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started.</exception>
    public static async Task<BoundedExit> RunAsync(ProcessStartInfo info, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        Live[process.Id] = process;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(limit);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            var seconds = watch.Elapsed.TotalSeconds;
            return new BoundedExit(timedOut ? -1 : process.ExitCode, timedOut, seconds, await output, await error);
        }
        finally
        {
            Live.TryRemove(process.Id, out _);
        }
    }

    /// <summary>Sends SIGTERM to every process started here and still running.</summary>
    public static void KillLeftovers()
    {
        foreach (var (pid, process) in Live)
        {
            try
            {
                if (!process.HasExited) ServerProcess.Signal(pid, ServerProcess.SigTerm);
            }
            catch (InvalidOperationException)
            {
                // Gone already.
            }
        }
    }
}
