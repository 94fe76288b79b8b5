using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetJournal.Storage;

namespace NetJournal.IntegrationTests;

/// <summary>
/// A real network path: the real server process in one network namespace, real `netjournal` client processes in
/// another, joined by a veth pair, with nftables in each namespace dropping 30% of the UDP datagrams it sends (hook
/// output: the sender's sendmsg fails with EPERM, as under a local firewall) or receives (hook input: silent, as on the
/// wire), so each direction loses 30%. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN), iproute2 and nftables; without the right to
/// create a namespace, or without those tools, the test is reported as skipped, unless NETJOURNAL_REQUIRE_PRIVILEGED_TESTS=1.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed partial class NetworkNamespaceTests(ITestOutputHelper output)
{
    private const int Writers = 2, PerWriter = 500, LossPercent = 30;

    [Theory]
    [InlineData("output")]
    [InlineData("input")]
    public async Task Two_writer_processes_across_a_veth_pair_losing_30_percent_each_way_store_every_note_exactly_once_in_order(string hook)
    {
        using var pair = NamespacePair.TryCreate(output, out var skipped);
        if (pair is null) Privileged.SkipOrFail(skipped!);
        pair.DropUdp(LossPercent, hook);

        var data = TestServer.TempDirectory();
        var (server, target) = StartServer(pair, data);
        try
        {
            await server.WaitForAsync("listening on UDP", TimeSpan.FromSeconds(30));
            var watch = Stopwatch.StartNew();
            var writers = Enumerable.Range(1, Writers).Select(w =>
            {
                var p = pair.Start(pair.B, ["dotnet", Dll, "write", "--server", target, "--name", Name(w), "--timeout", "60"]);
                return p.FeedAndWaitAsync(string.Join('\n', Enumerable.Range(1, PerWriter).Select(i => Text(w, i))) + "\n", TimeSpan.FromSeconds(240));
            }).ToArray();
            var results = await Task.WhenAll(writers);
            var writing = watch.Elapsed;
            for (var w = 1; w <= Writers; w++)
            {
                var (code, _, error) = results[w - 1];
                output.WriteLine($"{Name(w)}: exit {code}, {error.Trim()}");
                Assert.True(code == 0, $"writer {w} exited {code}:\n{error}");
                Assert.Contains($"stored {PerWriter} notes", error);
            }

            watch.Restart();
            var history = pair.Start(pair.B, ["dotnet", Dll, "history", "--server", target, "--all", "--format", "json", "--timeout", "60"]);
            var (historyCode, json, historyError) = await history.FeedAndWaitAsync("", TimeSpan.FromSeconds(180));
            var reading = watch.Elapsed;
            Assert.True(historyCode == 0, $"history exited {historyCode}:\n{historyError}");
            var rows = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

            var (droppedA, droppedB) = (pair.Dropped(pair.A), pair.Dropped(pair.B));
            output.WriteLine($"{Writers} writer processes × {PerWriter} notes over veth {pair.AddressB} → {pair.AddressA}, nftables dropping {LossPercent}% of UDP on the {hook} hook of each namespace");
            output.WriteLine($"writing took {writing.TotalSeconds:0.0} s, reading the history ({rows.Count} notes) {reading.TotalSeconds:0.0} s");
            output.WriteLine(hook == "output"
                ? $"datagrams dropped by nftables: server→client {droppedA}, client→server {droppedB}"
                : $"datagrams dropped by nftables: client→server {droppedA}, server→client {droppedB}");

            // The loss really happened in both directions.
            Assert.True(droppedA > 0 && droppedB > 0, $"dropped A {droppedA}, B {droppedB}");
            // The history came back whole: every note once, seq 1..N, each writer's notes in its order, from B's address.
            Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(i => (long)i), rows.Select(r => r.GetProperty("seq").GetInt64()));
            Assert.All(rows, r => Assert.StartsWith(pair.AddressB + ":", r.GetProperty("address").GetString()));
            for (var w = 1; w <= Writers; w++)
            {
                var mine = rows.Where(r => r.GetProperty("client").GetString() == Name(w)).Select(r => r.GetProperty("text").GetString()).ToList();
                Assert.Equal(Enumerable.Range(1, PerWriter).Select(i => Text(w, i)), mine);
            }

            // SIGTERM inside the namespace stops the server cleanly; the file then holds exactly those notes, whole lines only.
            server.Signal("TERM");
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            var bytes = await File.ReadAllBytesAsync(Path.Combine(data, JournalStore.FileName));
            Assert.Equal((byte)'\n', bytes[^1]);
            var records = Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split('\n')
                .Select(l => JournalLine.TryParse(Encoding.UTF8.GetBytes(l)) ?? throw new Xunit.Sdk.XunitException($"bad line: {l}")).ToList();
            Assert.Equal(rows.Select(r => r.GetProperty("text").GetString()), records.Select(r => r.Text));
        }
        finally
        {
            server.Dispose();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// One writer with every option at its default (no --timeout: giving up after 10 s of silence), 2,000 notes through
    /// 30% loss each way. Held appends keep a lost datagram from stalling the ones behind it, so this finishes in
    /// seconds, and the history read back (also with defaults) holds every note once, in order.
    /// </summary>
    [Theory]
    [InlineData("output")]
    [InlineData("input")]
    public async Task Two_thousand_notes_written_with_default_options_through_30_percent_loss_each_way_are_stored_once_in_order_in_bounded_time(string hook)
    {
        const int Notes = 2_000;
        using var pair = NamespacePair.TryCreate(output, out var skipped);
        if (pair is null) Privileged.SkipOrFail(skipped!);
        pair.DropUdp(LossPercent, hook);

        var data = TestServer.TempDirectory();
        var (server, target) = StartServer(pair, data);
        try
        {
            await server.WaitForAsync("listening on UDP", TimeSpan.FromSeconds(30));
            var watch = Stopwatch.StartNew();
            var writer = pair.Start(pair.B, ["dotnet", Dll, "write", "--server", target, "--name", Name(1)]);
            var (code, _, error) = await writer.FeedAndWaitAsync(string.Join('\n', Enumerable.Range(1, Notes).Select(i => Text(1, i))) + "\n", TimeSpan.FromSeconds(120));
            var writing = watch.Elapsed;
            output.WriteLine($"writer: exit {code} after {writing.TotalSeconds:0.0} s, {error.Trim()}");
            Assert.True(code == 0, $"writer exited {code}:\n{error}");
            Assert.Contains("stored 2,000 notes", error);

            watch.Restart();
            var history = pair.Start(pair.B, ["dotnet", Dll, "history", "--server", target, "--all", "--format", "json"]);
            var (historyCode, json, historyError) = await history.FeedAndWaitAsync("", TimeSpan.FromSeconds(120));
            var reading = watch.Elapsed;
            Assert.True(historyCode == 0, $"history exited {historyCode}:\n{historyError}");
            var rows = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

            var (droppedA, droppedB) = (pair.Dropped(pair.A), pair.Dropped(pair.B));
            output.WriteLine($"1 writer process × {Notes} notes, default options, nftables dropping {LossPercent}% of UDP on the {hook} hook of each namespace");
            output.WriteLine($"writing took {writing.TotalSeconds:0.0} s, reading the history ({rows.Count} notes) {reading.TotalSeconds:0.0} s; dropped A {droppedA}, B {droppedB}");
            server.Signal("TERM");
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine($"server: {server.Error.Trim().Split('\n')[^1]}");

            Assert.True(droppedA > 0 && droppedB > 0, $"dropped A {droppedA}, B {droppedB}");
            Assert.Equal(Enumerable.Range(1, Notes).Select(i => (long)i), rows.Select(r => r.GetProperty("seq").GetInt64()));
            Assert.Equal(Enumerable.Range(1, Notes).Select(i => Text(1, i)), rows.Select(r => r.GetProperty("text").GetString()));
            // Bounded: without held appends every loss stalled the window behind it, and 1,000 notes took 10-23 s.
            Assert.True(writing < TimeSpan.FromSeconds(45), $"writing took {writing.TotalSeconds:0.0} s");
        }
        finally
        {
            server.Dispose();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "netjournal.dll");

    /// <summary>`netjournal serve` in namespace A on a random port, its journal in <paramref name="data"/>; the target clients in B use.</summary>
    private static (NamespacedProcess Server, string Target) StartServer(NamespacePair pair, string data)
    {
        var port = Random.Shared.Next(20_000, 60_000);
        var server = pair.Start(pair.A, ["dotnet", Dll, "serve", "--bind", pair.AddressA, "--port", port.ToString(), "--data", data]);
        return (server, $"{pair.AddressA}:{port}");
    }

    private static string Name(int w) => $"命名空间写手{w}";

    private static string Text(int w, int i) => $"写手{w} 第{i}条 穿过 veth 🛰 {w}-{i}";

    /// <summary>Two fresh namespaces joined by a veth pair with 169.254.x.1 (A) and .2 (B), removed on Dispose.</summary>
    private sealed class NamespacePair : IDisposable
    {
        private readonly ITestOutputHelper _output;
        private readonly List<NamespacedProcess> _processes = [];
        private bool _createdA, _createdB;

        private NamespacePair(ITestOutputHelper output, string id)
        {
            _output = output;
            A = $"nj-a-{id}";
            B = $"nj-b-{id}";
            var subnet = Random.Shared.Next(1, 255);
            AddressA = $"169.254.{subnet}.1";
            AddressB = $"169.254.{subnet}.2";
            VethA = $"nja-{id}";
            VethB = $"njb-{id}";
        }

        public string A { get; }
        public string B { get; }
        public string AddressA { get; }
        public string AddressB { get; }
        private string VethA { get; }
        private string VethB { get; }

        /// <summary>The pair, or null with the reason when this machine does not let us create a namespace.</summary>
        public static NamespacePair? TryCreate(ITestOutputHelper output, out string? skipped)
        {
            skipped = null;
            var pair = new NamespacePair(output, Guid.NewGuid().ToString("n")[..8]);
            var (code, _, error) = Command.Run(["ip", "netns", "add", pair.A]);
            if (code != 0)
            {
                skipped = code == Command.NotFound
                    ? "the `ip` command (iproute2) is not installed, so no network namespace can be created"
                    : $"`ip netns add` failed (exit {code}: {error.Trim()}); creating network namespaces needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN)";
                return null;
            }
            pair._createdA = true;
            try
            {
                pair.Must(["ip", "netns", "add", pair.B]);
                pair._createdB = true;
                // The veth is created inside A with its peer inside B: nothing of this test ever appears in the host's namespace.
                pair.Must(["ip", "-n", pair.A, "link", "add", pair.VethA, "type", "veth", "peer", "name", pair.VethB, "netns", pair.B]);
                pair.Must(["ip", "-n", pair.A, "addr", "add", pair.AddressA + "/30", "dev", pair.VethA]);
                pair.Must(["ip", "-n", pair.B, "addr", "add", pair.AddressB + "/30", "dev", pair.VethB]);
                foreach (var (ns, dev) in new[] { (pair.A, "lo"), (pair.B, "lo"), (pair.A, pair.VethA), (pair.B, pair.VethB) })
                    pair.Must(["ip", "-n", ns, "link", "set", dev, "up"]);
            }
            catch
            {
                pair.Dispose();
                throw;
            }
            output.WriteLine($"namespaces {pair.A} ({pair.AddressA}) and {pair.B} ({pair.AddressB}) joined by veth {pair.VethA}/{pair.VethB}");
            return pair;
        }

        /// <summary>In both namespaces, drops percent% of the UDP datagrams sent or received (numgen random), counting them.</summary>
        public void DropUdp(int percent, string hook)
        {
            var rules = $$"""
                table inet njloss {
                  chain loss {
                    type filter hook {{hook}} priority 0; policy accept;
                    meta l4proto udp numgen random mod 100 < {{percent}} counter drop
                  }
                }

                """;
            if (ToolPath.Find("nft") is null) Privileged.SkipOrFail("nftables is not installed (apt-get install -y nftables), so no datagram can be dropped");
            foreach (var ns in new[] { A, B })
            {
                var (code, _, error) = Command.Run(["ip", "netns", "exec", ns, "nft", "-f", "-"], rules);
                if (code == Command.NotFound || code == 255 && error.Contains("nft"))
                    Privileged.SkipOrFail($"nftables is needed to drop datagrams (apt-get install -y nftables): {error.Trim()}");
                if (code != 0) throw new InvalidOperationException($"nft failed in {ns} (exit {code}): {error}");
            }
        }

        /// <summary>Packets the loss rule dropped in one namespace.</summary>
        public long Dropped(string ns)
        {
            var (_, text, _) = Command.Run(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", "njloss"]);
            var m = CounterPattern().Match(text);
            return m.Success ? long.Parse(m.Groups[1].Value) : -1;
        }

        public NamespacedProcess Start(string ns, string[] command)
        {
            var p = new NamespacedProcess(["ip", "netns", "exec", ns, .. command]);
            _processes.Add(p);
            return p;
        }

        private void Must(string[] command)
        {
            var (code, _, error) = Command.Run(command);
            if (code != 0) throw new InvalidOperationException($"`{string.Join(' ', command)}` failed (exit {code}): {error}");
        }

        public void Dispose()
        {
            foreach (var p in _processes) p.Dispose();
            // Deleting a namespace also destroys the veth end inside it, and with it the peer.
            foreach (var (ns, created) in new[] { (B, _createdB), (A, _createdA) })
            {
                if (!created) continue;
                var (code, _, error) = Command.Run(["ip", "netns", "del", ns]);
                if (code != 0) _output.WriteLine($"could not delete namespace {ns}: {error}");
            }
            _createdA = _createdB = false;
        }
    }

    [GeneratedRegex(@"counter packets (\d+)")]
    private static partial Regex CounterPattern();
}

/// <summary>A child process (here `ip netns exec NS ...`) with its output collected; killed on Dispose if still running.</summary>
internal sealed class NamespacedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new(), _error = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    public NamespacedProcess(string[] command)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in command[1..]) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, _out);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, _error);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Error { get { lock (_error) return _error.ToString(); } }

    private void OnLine(string? line, StringBuilder into)
    {
        if (line is null) return;
        lock (into) into.Append(line).Append('\n');
        lock (_waits)
            foreach (var w in _waits.Where(w => line.Contains(w.Text))) w.Seen.TrySetResult();
    }

    /// <summary>Waits until the process prints <paramref name="text"/>; fails with its output if it exits or time runs out.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            if (Error.Contains(text) || Out().Contains(text)) return;
            _waits.Add((text, seen));
        }
        var first = await Task.WhenAny(seen.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (first != seen.Task) throw new InvalidOperationException($"no \"{text}\" within {timeout.TotalSeconds} s; the process said:\n{Out()}{Error}");
    }

    /// <summary>Writes <paramref name="input"/> to standard input, closes it, and waits (bounded) for the exit.</summary>
    public async Task<(int Code, string Out, string Error)> FeedAndWaitAsync(string input, TimeSpan timeout)
    {
        await _process.StandardInput.WriteAsync(input);
        _process.StandardInput.Close();
        return (await WaitForExitAsync(timeout), Out(), Error);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process did not exit within {timeout.TotalSeconds} s; it said:\n{Error}");
        }
        // The redirected streams are drained once WaitForExit (without timeout) returns.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    private string Out() { lock (_out) return _out.ToString(); }

    public void Signal(string signal) => Command.Run(["kill", "-" + signal, _process.Id.ToString()]);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}

/// <summary>Short commands (ip, nft, mount) run to completion with a bound.</summary>
internal static class Command
{
    public const int NotFound = -2;

    public static (int Code, string Out, string Error) Run(string[] command, string? input = null, int timeoutMs = 30_000)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command[1..]) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            return (NotFound, "", $"{command[0]}: {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null) process.StandardInput.Write(input);
            process.StandardInput.Close();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"`{string.Join(' ', command)}` did not finish within {timeoutMs / 1000} s");
            }
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}

/// <summary>What a test that needs root does when the machine refuses: say why, and skip unless told it must run.</summary>
internal static class Privileged
{
    public const string RequireVariable = "NETJOURNAL_REQUIRE_PRIVILEGED_TESTS";

    /// <summary>Ends the test: skipped with <paramref name="reason"/>, or failed when <see cref="RequireVariable"/> is 1.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void SkipOrFail(string reason)
    {
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            throw new Xunit.Sdk.XunitException($"{reason} ({RequireVariable}=1 says this test must run)");
        Assert.Skip(reason);
    }
}
