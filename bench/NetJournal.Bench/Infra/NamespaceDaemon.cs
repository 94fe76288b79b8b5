using System.Collections.Concurrent;
using System.Diagnostics;

namespace NetJournal.Bench.Infra;

/// <summary>
/// A long-running process started with `ip netns exec` (a `netjournal serve`, an HTTP server): `ip` execs the command,
/// so the process is the daemon itself. Its output lines are kept; it is stopped with SIGTERM (SIGKILL if it does
/// not exit in time), and signalled if the benchmark is ended early.
/// </summary>
internal sealed class NamespaceDaemon : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyText;

    private NamespaceDaemon(Process process, string readyText)
    {
        _process = process;
        _readyText = readyText;
    }

    /// <summary>Every line printed so far (standard output and error).</summary>
    public IReadOnlyCollection<string> Log => _log;

    /// <summary>Starts the process; <see cref="WaitReadyAsync"/> waits for a line holding <paramref name="readyText"/>.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started.</exception>
    public static NamespaceDaemon Start(ProcessStartInfo info, string readyText)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        Live[process.Id] = process;
        var daemon = new NamespaceDaemon(process, readyText);
        process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        if (line.Contains(_readyText, StringComparison.Ordinal)) _ready.TrySetResult();
    }

    /// <summary>Waits until the process prints its ready line.</summary>
    /// <exception cref="InvalidOperationException">It exited first, or <paramref name="timeout"/> passed; the message holds its output.</exception>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_ready.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (first != _ready.Task)
            throw new InvalidOperationException($"`{string.Join(' ', _process.StartInfo.ArgumentList)}` did not print \"{_readyText}\" within {timeout.TotalSeconds:0} s; it printed:{Environment.NewLine}{string.Join(Environment.NewLine, _log)}");
    }

    /// <summary>SIGTERM, then waits up to <paramref name="timeout"/> before killing it; the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        Live.TryRemove(_process.Id, out _);
        if (!_process.HasExited)
        {
            ServerProcess.Signal(_process.Id, ServerProcess.SigTerm);
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        // Waits for the last lines of output too.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Sends SIGTERM to every daemon started here and not stopped yet.</summary>
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
