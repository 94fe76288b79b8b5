using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Testing;

/// <summary>
/// A real `dotnet netjournal.dll serve` process on a free UDP port: started, awaited until it listens or answers,
/// measured through /proc, signalled (SIGKILL for crash tests), and stopped with SIGTERM (SIGKILL only if it does not
/// exit in time). Everything it prints, standard output and error, is kept in <see cref="Log"/>.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>SIGTERM on Linux.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL on Linux.</summary>
    public const int SigKill = 9;

    /// <summary>Servers not stopped yet: killed if this process is ended early (Ctrl-C, `timeout`), so none is left behind.</summary>
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Uri> _webAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    private ServerProcess(Process process, Stopwatch sinceStart, IPEndPoint endPoint, string dataDirectory)
    {
        _process = process;
        _sinceStart = sinceStart;
        EndPoint = endPoint;
        DataDirectory = dataDirectory;
    }

    /// <summary>The CLI built next to the running assembly (a project that references NetJournal.Cli has it).</summary>
    public static string DefaultCli => Path.Combine(AppContext.BaseDirectory, "netjournal.dll");

    public IPEndPoint EndPoint { get; }
    public int Port => EndPoint.Port;
    public string DataDirectory { get; }
    public int Pid => _process.Id;

    /// <summary>Every line the server printed so far, standard output and error interleaved, each ended by a newline.</summary>
    public string Log => string.Concat(_log.Select(line => line + Environment.NewLine));

    /// <summary>The server's stop line (its counters), once it has stopped; null if it did not log one.</summary>
    public string? StopLine => _log.LastOrDefault(l => l.Contains("dropped=", StringComparison.Ordinal));

    /// <summary>
    /// Starts <see cref="DefaultCli"/> serving <paramref name="dataDirectory"/> on 127.0.0.1 and waits until it logs
    /// that it listens.
    /// </summary>
    /// <param name="dataDirectory">The folder of the journal (`serve --data`).</param>
    /// <param name="port">The UDP port; 0 picks one that is free.</param>
    /// <exception cref="InvalidOperationException">The server exited, or did not listen within 30 s; the message holds its log.</exception>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, int port = 0)
    {
        var server = Start(DefaultCli, dataDirectory, IPAddress.Loopback, port);
        try
        {
            await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    /// <summary>
    /// Starts `dotnet <paramref name="cli"/> serve` on <paramref name="bind"/> (an address of this machine) and returns at
    /// once; <see cref="WaitUntilListeningAsync"/> or <see cref="WaitUntilAnsweringAsync"/> tell when it is ready.
    /// </summary>
    /// <param name="cli">The path of netjournal.dll, or of the published native `netjournal` executable.</param>
    /// <param name="dataDirectory">The folder of the journal (`serve --data`).</param>
    /// <param name="bind">The address to listen on (`serve --bind`), and the one probes are sent to.</param>
    /// <param name="port">The UDP port; 0 picks one that is free.</param>
    /// <param name="extraArguments">More `serve` options, such as `--rate-limit 0`.</param>
    /// <exception cref="FileNotFoundException">The CLI is not built at <paramref name="cli"/>.</exception>
    public static ServerProcess Start(string cli, string dataDirectory, IPAddress bind, int port = 0, params IEnumerable<string> extraArguments)
    {
        if (!File.Exists(cli)) throw new FileNotFoundException($"the CLI is not built: {cli}", cli);
        if (port == 0) port = FreeUdpPort(bind.AddressFamily);
        // netjournal.dll runs under `dotnet`; a published native executable (Native AOT) runs as itself.
        var dll = cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(dll ? "dotnet" : cli)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in (dll ? new[] { cli } : []).Concat(["serve", "--bind", bind.ToString(), "--port", port.ToString(CultureInfo.InvariantCulture), "--data", dataDirectory]).Concat(extraArguments))
            info.ArgumentList.Add(arg);
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        Live[process.Id] = process;
        var server = new ServerProcess(process, watch, new IPEndPoint(bind, port), dataDirectory);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        if (line.Contains("listening on UDP", StringComparison.Ordinal)) _listening.TrySetResult();
        var web = line.IndexOf("web view on ", StringComparison.Ordinal);
        if (web >= 0) _webAddress.TrySetResult(new Uri(line[(web + "web view on ".Length)..].Trim()));
    }

    /// <summary>The web view's address (serve --http) once the server has logged it.</summary>
    /// <exception cref="InvalidOperationException">It exited first, or <paramref name="timeout"/> passed; the message holds its log.</exception>
    public async Task<Uri> WebAddressAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_webAddress.Task, _process.WaitForExitAsync(), Task.Delay(timeout)).ConfigureAwait(false);
        if (first != _webAddress.Task) throw Failed("the web view did not start");
        return await _webAddress.Task.ConfigureAwait(false);
    }

    /// <summary>Waits until the server logs that it listens.</summary>
    /// <exception cref="InvalidOperationException">It exited first, or <paramref name="timeout"/> passed; the message holds its log.</exception>
    public async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_listening.Task, _process.WaitForExitAsync(), Task.Delay(timeout)).ConfigureAwait(false);
        if (first != _listening.Task) throw Failed("the server did not start");
    }

    /// <summary>Sends CountRequests every few milliseconds until one is answered; returns the time since the process started, and the reply.</summary>
    /// <exception cref="InvalidOperationException">It exited first, or <paramref name="timeout"/> passed; the message holds its log.</exception>
    public async Task<(TimeSpan SinceStart, CountReply Reply)> WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        var options = new JournalClientOptions
        {
            Name = "probe",
            InitialTimeout = TimeSpan.FromMilliseconds(5),
            MinTimeout = TimeSpan.FromMilliseconds(5),
            MaxTimeout = TimeSpan.FromMilliseconds(10),
            GiveUpAfter = TimeSpan.FromSeconds(1),
        };
        while (true)
        {
            if (_process.HasExited) throw Failed($"the server exited with code {_process.ExitCode} before answering");
            if (_sinceStart.Elapsed > timeout) throw Failed($"the server did not answer within {timeout.TotalSeconds:0} s");
            // A new client each time: one whose first request met a closed port (ICMP unreachable) keeps saying so.
            var probe = new JournalClient(EndPoint, options);
            await using (probe.ConfigureAwait(false))
            {
                try
                {
                    var reply = await probe.CountAsync(HistoryFilter.None).ConfigureAwait(false);
                    return (_sinceStart.Elapsed, reply);
                }
                catch (JournalUnavailableException)
                {
                    // Not listening yet (still recovering the journal): ask again.
                }
            }
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>The server's own "opened in N ms" from its start-up log line (waits briefly: the logger writes asynchronously).</summary>
    public async Task<long?> OpenedInMillisAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            foreach (var line in _log)
                if (OpenedIn().Match(line) is { Success: true } m) return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            await Task.Delay(50).ConfigureAwait(false);
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
            await Task.Delay(200).ConfigureAwait(false);
            var now = CpuSeconds();
            if (now - before < 0.01) return;
            before = now;
        }
    }

    public MemorySample Memory() => ProcStats.Memory(Pid);
    public double CpuSeconds() => ProcStats.CpuSeconds(Pid);

    /// <summary>A client of this server that gives up after <paramref name="giveUp"/> (default 10 s).</summary>
    public JournalClient Client(string name, TimeSpan? giveUp = null) =>
        new(EndPoint, new JournalClientOptions { Name = name, GiveUpAfter = giveUp ?? TimeSpan.FromSeconds(10) });

    /// <summary>Sends a signal by name: TERM, KILL, INT, HUP.</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public void Signal(string signal)
    {
        var number = signal switch
        {
            "TERM" => SigTerm,
            "KILL" => SigKill,
            "INT" => 2,
            "HUP" => 1,
            _ => throw new ArgumentException($"unknown signal {signal}", nameof(signal)),
        };
        if (Kill(Pid, number) != 0) throw Failed($"kill -{signal} {Pid} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    /// <exception cref="OperationCanceledException">It did not exit within <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        Live.TryRemove(Pid, out _);
        return _process.ExitCode;
    }

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
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: the server did not exit within {timeout.TotalSeconds:0} s of SIGTERM; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        return (_process.ExitCode, watch.Elapsed);
    }

    /// <summary>An exception that says <paramref name="why"/> and carries the server's log.</summary>
    public InvalidOperationException Failed(string why) =>
        new($"{why}; server log:{Environment.NewLine}{string.Join(Environment.NewLine, _log)}");

    /// <summary>Stops the server with SIGTERM if it still runs (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_stopped && !_process.HasExited) await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        finally
        {
            Live.TryRemove(Pid, out _);
            _process.Dispose();
        }
    }

    /// <summary>Sends SIGTERM to every server started here and not stopped yet.</summary>
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

    /// <summary>A UDP port on the loopback address that was free a moment ago.</summary>
    public static int FreeUdpPort(AddressFamily family = AddressFamily.InterNetwork)
    {
        using var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>kill(2) on one process id; 0, or -1 with errno set.</summary>
    public static int Signal(int pid, int signal) => Kill(pid, signal);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"opened in (\d+) ms")]
    private static partial Regex OpenedIn();
}
