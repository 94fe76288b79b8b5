using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NetJournal.Bench.Infra;

/// <summary>
/// A private rsyslogd (never the system one): ../shared/reference/rsyslog-tuned.conf with WORK_DIR, OUTPUT_FILE and PORT
/// replaced, run in the foreground (`-n`) with its own pid file in a temp folder, stopped with SIGTERM.
/// </summary>
internal sealed class Rsyslog : IDisposable
{
    public const string DefaultPath = "/usr/sbin/rsyslogd";
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private long _offset;

    private Rsyslog(Process process, string directory, string outputFile, int port, string version)
    {
        _process = process;
        Directory = directory;
        OutputFile = outputFile;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        Version = version;
    }

    public string Directory { get; }
    public string OutputFile { get; }
    public IPEndPoint EndPoint { get; }
    public string Version { get; }
    public IEnumerable<string> Log => _log;

    public static string Executable =>
        Environment.GetEnvironmentVariable("NETJOURNAL_BENCH_RSYSLOGD") is { Length: > 0 } p ? p : DefaultPath;

    /// <summary>../shared/reference/rsyslog-tuned.conf next to the repository, or NETJOURNAL_BENCH_RSYSLOG_CONF.</summary>
    public static string TunedConfig =>
        Environment.GetEnvironmentVariable("NETJOURNAL_BENCH_RSYSLOG_CONF") is { Length: > 0 } c
            ? Path.GetFullPath(c)
            : Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "reference", "rsyslog-tuned.conf"));

    public static Rsyslog Start(string directory)
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is not installed (apt-get update && apt-get install -y rsyslog)");
        if (!File.Exists(TunedConfig)) throw new InvalidOperationException($"the reference configuration {TunedConfig} is missing");
        var work = System.IO.Directory.CreateDirectory(Path.Combine(directory, "work")).FullName;
        var output = Path.Combine(directory, "rsyslog-out.log");
        var port = ServerProcess.FreeUdpPort();
        var config = File.ReadAllText(TunedConfig)
            .Replace("WORK_DIR", work, StringComparison.Ordinal)
            .Replace("OUTPUT_FILE", output, StringComparison.Ordinal)
            .Replace("PORT", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var configPath = Path.Combine(directory, "rsyslog.conf");
        File.WriteAllText(configPath, config);
        // run.sh passes a pid file path of its own, so that it can stop this rsyslogd even if the benchmark is SIGKILLed.
        var pidFile = Environment.GetEnvironmentVariable("NETJOURNAL_BENCH_RSYSLOG_PIDFILE") is { Length: > 0 } pf ? pf : Path.Combine(directory, "rsyslog.pid");
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-n", "-f", configPath, "-i", pidFile }) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Executable}");
        Live[process.Id] = process;
        var rsyslog = new Rsyslog(process, directory, output, port, VersionOf());
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) rsyslog._log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) rsyslog._log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        rsyslog.WaitListening(TimeSpan.FromSeconds(15));
        return rsyslog;
    }

    private static string VersionOf()
    {
        try
        {
            var info = new ProcessStartInfo(Executable, "-v") { RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(info)!;
            var first = p.StandardOutput.ReadLine() ?? "";
            p.StandardOutput.ReadToEnd();
            p.WaitForExit(5000);
            var cut = first.IndexOf(" compiled with", StringComparison.Ordinal);
            return (cut > 0 ? first[..cut] : first).Trim().Replace("  ", " ", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    /// <summary>Until /proc/net/udp shows 127.0.0.1:PORT bound (bounded).</summary>
    private void WaitListening(TimeSpan limit)
    {
        var needle = $"0100007F:{EndPoint.Port:X4}";
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (_process.HasExited) throw Failed($"rsyslogd exited with code {_process.ExitCode}");
            if (File.ReadLines("/proc/net/udp").Any(l => l.Contains(needle, StringComparison.Ordinal))) return;
            Thread.Sleep(50);
        }
        throw Failed($"rsyslogd did not listen on {EndPoint} within {limit.TotalSeconds:0} s");
    }

    /// <summary>
    /// Whole lines written to the output file since the last call that contain <paramref name="marker"/>. Reads only
    /// the new bytes; a line not finished yet (no '\n') is left to the next call.
    /// </summary>
    public long CountNewLines(byte[] marker)
    {
        if (!File.Exists(OutputFile)) return 0;
        using var stream = new FileStream(OutputFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        stream.Position = _offset;
        var buffer = new byte[1 << 20];
        long lines = 0, position = _offset, afterLastNewline = _offset;
        var seen = false;
        var matched = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var b = buffer[i];
                if (b == (byte)'\n')
                {
                    if (seen) lines++;
                    seen = false;
                    matched = 0;
                    afterLastNewline = position + i + 1;
                    continue;
                }
                if (seen) continue;
                matched = b == marker[matched] ? matched + 1 : b == marker[0] ? 1 : 0;
                if (matched == marker.Length) seen = true;
            }
            position += n;
        }
        _offset = afterLastNewline;
        return lines;
    }

    public InvalidOperationException Failed(string why) =>
        new($"{why}; rsyslogd log:{Environment.NewLine}{string.Join(Environment.NewLine, _log)}");

    public int Stop()
    {
        Live.TryRemove(_process.Id, out _);
        if (_process.HasExited) return _process.ExitCode;
        ServerProcess.Signal(_process.Id, 15);
        if (!_process.WaitForExit(10_000))
        {
            Console.Error.WriteLine("warning: rsyslogd did not exit within 10 s of SIGTERM; killing it");
            _process.Kill();
            _process.WaitForExit(5000);
        }
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try { Stop(); }
        finally { _process.Dispose(); }
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
                // Already gone.
            }
        }
    }
}
