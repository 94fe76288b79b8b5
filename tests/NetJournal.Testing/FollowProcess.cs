using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace NetJournal.Testing;

/// <summary>
/// A real `dotnet netjournal.dll follow --format json` process: every note it prints is read as it comes (so a test
/// sees that output is flushed per note), standard error is kept line by line, and it is stopped with SIGTERM.
/// </summary>
public sealed class FollowProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<(ulong Seq, string Text)> _notes = [];
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _otherOutput = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FollowProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>The notes printed so far: seq and text, in the order printed.</summary>
    public IReadOnlyList<(ulong Seq, string Text)> Notes
    {
        get { lock (_gate) return [.. _notes]; }
    }

    /// <summary>Every line printed on standard error so far.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Standard output lines that were not a note in JSON.</summary>
    public IReadOnlyList<string> OtherOutput => [.. _otherOutput];

    /// <summary>Starts `follow --format json` against <paramref name="server"/> with <paramref name="arguments"/> (filters, --last, --after).</summary>
    public static FollowProcess Start(IPEndPoint server, params IEnumerable<string> arguments)
    {
        var cli = ServerProcess.DefaultCli;
        if (!File.Exists(cli)) throw new FileNotFoundException($"the CLI is not built: {cli}", cli);
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { cli, "--server", server.ToString(), "follow", "--format", "json" }.Concat(arguments)) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var follow = new FollowProcess(process);
        process.OutputDataReceived += (_, e) => follow.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => follow.OnError(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return follow;
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        try
        {
            using var json = JsonDocument.Parse(line);
            var note = (json.RootElement.GetProperty("seq").GetUInt64(), json.RootElement.GetProperty("text").GetString() ?? "");
            lock (_gate) _notes.Add(note);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            _otherOutput.Enqueue(line);
        }
        Changed();
    }

    private void OnError(string? line)
    {
        if (line is null) return;
        _errors.Enqueue(line);
        Changed();
    }

    private void Changed()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was printed (checked on every line), or fails after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">It did not, or the process exited first; the message says what was printed.</exception>
    public async Task WaitUntilAsync(Func<FollowProcess, bool> done, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            if (done(this)) return;
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || _process.HasExited)
                throw new TimeoutException($"follow did not print {what} within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}); " +
                    $"it printed {Notes.Count} notes, last #{(Notes.Count > 0 ? Notes[^1].Seq : 0)}; stderr: {string.Join(" | ", Errors)}");
            await Task.WhenAny(changed, _process.WaitForExitAsync(), Task.Delay(left)).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until notes with these <paramref name="count"/> distinct seqs or more were printed.</summary>
    public Task WaitForNotesAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(f => f.Notes.Count >= count, timeout, $"{count} notes");

    /// <summary>Sends SIGTERM and waits for the exit code (SIGKILL after <paramref name="timeout"/>).</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return _process.ExitCode;
        ServerProcess.Signal(_process.Id, ServerProcess.SigTerm);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"follow did not exit within {timeout.TotalSeconds:0} s of SIGTERM");
        }
        // The asynchronous readers may still hold the last lines: WaitForExit without a timeout drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        _process.Dispose();
    }
}
