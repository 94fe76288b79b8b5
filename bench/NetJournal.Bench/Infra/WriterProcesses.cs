using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NetJournal.Bench.Infra;

/// <summary>
/// One `netjournal write` process: its exit code, when it exited (seconds after the first writer was started), the end
/// of its standard error, and what its `--stats-json` reported (null if it printed none).
/// </summary>
internal sealed record WriterExit(int Writer, int ExitCode, double ExitedAfterSeconds, string StderrTail)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public WriterStats? Stats { get; init; }
}

/// <summary>
/// Real `dotnet netjournal.dll write --server 127.0.0.1:P --name N` processes, each reading its notes from a file
/// given as standard input (`sh -c 'exec "$@" &lt; FILE'`: the file is the process's stdin, nothing is copied through the benchmark).
/// </summary>
internal sealed class WriterProcesses : IDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private readonly List<(Process Process, ConcurrentQueue<string> Err, Task Exited)> _writers = [];
    private readonly ConcurrentDictionary<int, string> _stats = new();
    private readonly Stopwatch _watch;
    private readonly List<double> _exitedAfter = [];

    private WriterProcesses(Stopwatch watch) => _watch = watch;

    public Task AllExited => Task.WhenAll(_writers.Select(w => w.Exited));
    public Task AnyExited => Task.WhenAny(_writers.Select(w => w.Exited));
    public TimeSpan Elapsed => _watch.Elapsed;

    /// <summary>Starts one writer per input file; the clock starts just before the first process is started.</summary>
    public static WriterProcesses Start(IPEndPoint server, IReadOnlyList<string> inputFiles, string namePrefix)
    {
        var cli = RepoPaths.CliDll;
        var result = new WriterProcesses(Stopwatch.StartNew());
        for (var w = 0; w < inputFiles.Count; w++)
        {
            var info = new ProcessStartInfo("/bin/sh")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[]
                     {
                         "-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", inputFiles[w],
                     }.Concat(RepoPaths.CommandFor(cli)).Concat(
                     [
                         "write", "--server", $"127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "--name", $"{namePrefix}-{w:00}", "--stats-json",
                     ]))
                info.ArgumentList.Add(arg);
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
            Live[process.Id] = process;
            var err = new ConcurrentQueue<string>();
            var index = w;
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                if (e.Data.StartsWith('{'))
                {
                    result._stats[index] = e.Data;
                    return;
                }
                err.Enqueue(e.Data);
                while (err.Count > 20 && err.TryDequeue(out var _)) { }
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            result._exitedAfter.Add(double.NaN);
            result._writers.Add((process, err, process.WaitForExitAsync().ContinueWith(_ => result._exitedAfter[index] = result._watch.Elapsed.TotalSeconds,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)));
        }
        return result;
    }

    /// <summary>Waits (bounded) for every writer; one that is still running at the limit is killed and reported with exit code -1.</summary>
    public async Task<IReadOnlyList<WriterExit>> WaitAsync(TimeSpan limit)
    {
        var all = AllExited;
        await Task.WhenAny(all, Task.Delay(limit));
        var exits = new List<WriterExit>();
        for (var w = 0; w < _writers.Count; w++)
        {
            var (process, err, exited) = _writers[w];
            if (!exited.IsCompleted)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                exits.Add(new WriterExit(w, -1, double.NaN, "killed: still running at the time limit; " + string.Join(" | ", err)));
                continue;
            }
            // The exit event can come before the last line of standard error has been read.
            await process.WaitForExitAsync();
            exits.Add(new WriterExit(w, process.ExitCode, _exitedAfter[w], string.Join(" | ", err.TakeLast(3)))
            {
                Stats = _stats.TryGetValue(w, out var json) ? WriterStats.Parse(json) : null,
            });
        }
        return exits;
    }

    public void Dispose()
    {
        foreach (var (process, _, _) in _writers)
        {
            Live.TryRemove(process.Id, out _);
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Gone already.
            }
            process.Dispose();
        }
    }

    public static void KillLeftovers()
    {
        foreach (var (pid, process) in Live)
        {
            try
            {
                if (!process.HasExited) ServerProcess.Signal(pid, 15);
            }
            catch (InvalidOperationException)
            {
                // Gone already.
            }
        }
    }
}
