using System.Diagnostics;
using System.Net;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>`netjournal serve` as a real child process, for tests of signals and crashes.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(string dataDirectory, int port)
    {
        Port = port;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "netjournal.dll"), "serve", "--bind", "127.0.0.1", "--port", port.ToString(), "--data", dataDirectory })
            info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);
    public string Log { get { lock (_log) return _log.ToString(); } }
    public int Pid => _process.Id;

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
        if (line.Contains("listening on UDP")) _listening.TrySetResult();
    }

    /// <summary>Starts the server and waits until it logs that it listens (or fails the test after 30 s).</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, int port = 0)
    {
        var server = new ServerProcess(dataDirectory, port == 0 ? FreeUdpPort() : port);
        var exited = server._process.WaitForExitAsync();
        var first = await Task.WhenAny(server._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != server._listening.Task) throw new InvalidOperationException($"the server did not start:\n{server.Log}");
        return server;
    }

    public static int FreeUdpPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public JournalClient Client(string name, TimeSpan? giveUp = null) =>
        new(EndPoint, new JournalClientOptions { Name = name, GiveUpAfter = giveUp ?? TimeSpan.FromSeconds(10) });

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
