using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Bench.Infra;

/// <summary>
/// A real `dotnet netjournal.dll serve` process on 127.0.0.1 and a free port: started, probed until it answers,
/// measured through /proc, and stopped with SIGTERM (SIGKILL only if it does not exit in time).
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    /// <summary>Servers not stopped yet: killed if this process is ended early (Ctrl-C, `timeout`), so none is left behind.</summary>
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly ConcurrentQueue<string> _log = new();
    private bool _stopped;

    private ServerProcess(Process process, Stopwatch sinceStart, IPEndPoint endPoint, string dataDirectory)
    {
        _process = process;
        _sinceStart = sinceStart;
        EndPoint = endPoint;
        DataDirectory = dataDirectory;
    }

    public IPEndPoint EndPoint { get; }
    public string DataDirectory { get; }
    public int Pid => _process.Id;
    public IEnumerable<string> Log => _log;

    public static ServerProcess Start(string dataDirectory, params string[] extraArguments) => Start(dataDirectory, IPAddress.Loopback, extraArguments);

    /// <summary>A server listening on <paramref name="bind"/> (an address of this machine), probed from this process.</summary>
    public static ServerProcess Start(string dataDirectory, IPAddress bind, params string[] extraArguments)
    {
        var cli = RepoPaths.CliDll;
        if (!File.Exists(cli))
            throw new FileNotFoundException($"the CLI is not built: {cli} (run `dotnet build src/NetJournal.Cli -c Release`, or set NETJOURNAL_CLI)", cli);
        var port = FreeUdpPort();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { cli, "serve", "--bind", bind.ToString(), "--port", port.ToString(CultureInfo.InvariantCulture), "--data", dataDirectory }.Concat(extraArguments))
            info.ArgumentList.Add(arg);
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        Live[process.Id] = process;
        var server = new ServerProcess(process, watch, new IPEndPoint(bind, port), dataDirectory);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._log.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._log.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return server;
    }

    /// <summary>Sends CountRequests every few milliseconds until one is answered; returns the time since the process started, and the reply.</summary>
    public async Task<(TimeSpan SinceStart, CountReply Reply)> WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        var options = new JournalClientOptions
        {
            Name = "bench-probe",
            InitialTimeout = TimeSpan.FromMilliseconds(5),
            MinTimeout = TimeSpan.FromMilliseconds(5),
            MaxTimeout = TimeSpan.FromMilliseconds(10),
            GiveUpAfter = TimeSpan.FromSeconds(1),
        };
        await using var probe = new JournalClient(EndPoint, options);
        while (true)
        {
            if (_process.HasExited) throw Failed($"the server exited with code {_process.ExitCode} before answering");
            if (_sinceStart.Elapsed > timeout) throw Failed($"the server did not answer within {timeout.TotalSeconds:0} s");
            try
            {
                var reply = await probe.CountAsync(HistoryFilter.None);
                return (_sinceStart.Elapsed, reply);
            }
            catch (JournalUnavailableException)
            {
                // Not listening yet (still recovering the journal): ask again.
            }
        }
    }

    /// <summary>The server's own "opened in N ms" from its start-up log line (waits briefly: the logger writes asynchronously).</summary>
    public async Task<long?> OpenedInMillisAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            foreach (var line in _log)
                if (OpenedIn().Match(line) is { Success: true } m) return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            await Task.Delay(50);
        }
        return null;
    }

    /// <summary>Waits until the server burns less than 5% of a CPU over 200 ms (work queued by retransmissions is done), at most <paramref name="limit"/>.</summary>
    public async Task WaitIdleAsync(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var before = CpuSeconds();
        while (watch.Elapsed < limit)
        {
            await Task.Delay(200);
            var now = CpuSeconds();
            if (now - before < 0.01) return;
            before = now;
        }
    }

    public MemorySample Memory() => ProcStats.Memory(Pid);
    public double CpuSeconds() => ProcStats.CpuSeconds(Pid);

    /// <summary>SIGTERM, then waits for a clean exit; returns the exit code and how long stopping took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(TimeSpan timeout)
    {
        _stopped = true;
        var watch = Stopwatch.StartNew();
        Live.TryRemove(Pid, out _);
        if (_process.HasExited) return (_process.ExitCode, TimeSpan.Zero);
        if (Kill(Pid, SigTerm) != 0) throw Failed($"kill -TERM {Pid} failed (errno {Marshal.GetLastPInvokeError()})");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: the server did not exit within {timeout.TotalSeconds:0} s of SIGTERM; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        return (_process.ExitCode, watch.Elapsed);
    }

    public InvalidOperationException Failed(string why) =>
        new($"{why}; server log:{Environment.NewLine}{string.Join(Environment.NewLine, _log)}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_stopped && !_process.HasExited) await StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _process.Dispose();
        }
    }

    public static void KillLeftovers()
    {
        foreach (var (pid, process) in Live)
        {
            try
            {
                if (!process.HasExited) Kill(pid, SigTerm);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>kill(2) on one process id.</summary>
    public static int Signal(int pid, int signal) => Kill(pid, signal);

    /// <summary>The server's stop line (its counters), once it has stopped; null if it did not log one.</summary>
    public string? StopLine => _log.LastOrDefault(l => l.Contains("dropped=", StringComparison.Ordinal));

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"opened in (\d+) ms")]
    private static partial Regex OpenedIn();
}
