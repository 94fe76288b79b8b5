using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Protocol.Syslog;
using NetJournal.Server;

namespace NetJournal.IntegrationTests;

/// <summary>
/// `serve --forward` and the syslog/plain-text port against real tools: a bare UDP receiver, a private rsyslog
/// daemon (both directions), and nc. A test whose tool is not installed is reported as skipped.
/// </summary>
public sealed class SyslogInteropTests(ITestOutputHelper output)
{
    private const string RsyslogdPath = "/usr/sbin/rsyslogd";
    private const string LoggerPath = "/usr/bin/logger";

    private static JournalServer StartServer(string directory, params ForwardTarget[] forward)
    {
        var server = new JournalServer(new JournalServerOptions { Bind = IPAddress.Loopback, Port = 0, DataDirectory = directory, Forward = forward });
        server.Start();
        return server;
    }

    private static IReadOnlyList<Note> AllNotes(JournalServer server) =>
        server.Store.ReadPage(HistoryFilter.None, 0, 0, ProtocolConstants.MaxDatagram).Notes;

    /// <summary>Syslog and plain notes get no acknowledgement: wait, bounded, until the journal holds the count.</summary>
    private static async Task WaitForNotesAsync(JournalServer server, int count)
    {
        for (var i = 0; i < 400 && server.Store.NoteCount < count; i++) await Task.Delay(25);
        Assert.Equal(count, server.Store.NoteCount);
    }

    [Fact]
    public async Task Every_stored_note_reaches_a_udp_receiver_as_rfc5424_with_its_seq_in_msgid()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var directory = TestServer.TempDirectory();
        var server = StartServer(directory, new ForwardTarget("127.0.0.1", ((IPEndPoint)receiver.LocalEndPoint!).Port));
        try
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port);
            var texts = Enumerable.Range(1, 50).Select(i => $"转发 {i}, \"quoted\" 🙂").ToList();
            await using (var client = new JournalClient(endPoint, new JournalClientOptions { Name = "张三" }))
            {
                var summary = await client.WriteAsync(Lines.Of(texts));
                Assert.Equal(texts.Count, summary.Stored);
            }
            using (var raw = new RawUdp(endPoint))
            {
                raw.Send("<165>1 - myhost myapp - - - from syslog"u8);
                raw.Send("plain note"u8);
            }
            await WaitForNotesAsync(server, texts.Count + 2);

            var received = new Dictionary<ulong, SyslogMessage>();
            var buffer = new byte[65_536];
            // Bounded: at most one datagram per expected note plus a few, each waited for at most 5 s.
            for (var i = 0; i < texts.Count + 10 && received.Count < texts.Count + 2; i++)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                int n;
                try { n = await receiver.ReceiveAsync(buffer, SocketFlags.None, timeout.Token); }
                catch (OperationCanceledException) { break; }
                Assert.True(SyslogParser.TryParse(buffer.AsSpan(0, n), out var message), Encoding.UTF8.GetString(buffer, 0, n));
                received.Add(ulong.Parse(message.MsgId!, CultureInfo.InvariantCulture), message);
            }

            var notes = AllNotes(server);
            Assert.Equal(notes.Select(n => n.Seq).Order(), received.Keys.Order());
            foreach (var note in notes)
            {
                var m = received[note.Seq];
                Assert.Equal(SyslogFormat.Rfc5424, m.Format);
                Assert.Equal(note.Text, m.Message);
                Assert.Equal(note.Priority ?? Rfc5424Writer.DefaultPriority, m.Priority);
                Assert.Equal(JournalLineTime(note), m.Timestamp);
                Assert.Equal("127.0.0.1", m.Hostname);
            }
            var native = received[1];
            Assert.Equal("__", native.AppName);
            Assert.Equal($"[{Rfc5424Writer.StructuredDataId} client=\"张三\"]", native.StructuredData);
            Assert.Equal("myhost/myapp", received[(ulong)texts.Count + 1].AppName);
            Assert.Equal((byte)165, received[(ulong)texts.Count + 1].Priority);
            Assert.Equal("127.0.0.1", received[(ulong)texts.Count + 2].AppName);
            Assert.Equal(texts.Count + 2, server.Forwarders[0].Sent);
            Assert.Equal(0, server.Forwarders[0].Dropped);
        }
        finally
        {
            await server.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string JournalLineTime(Note note) => NetJournal.Storage.JournalLine.FormatTime(note.TimeMs);

    [Fact]
    public async Task Rsyslog_receives_forwarded_notes_and_forwards_logger_messages_to_netjournal()
    {
        if (!File.Exists(RsyslogdPath))
            Assert.Skip($"{RsyslogdPath} is not installed (apt-get install rsyslog), so interop with a real rsyslog daemon was not tried.");
        if (!File.Exists(LoggerPath))
            Assert.Skip($"{LoggerPath} is not installed (util-linux/bsdutils), so messages cannot be sent to rsyslog.");
        var directory = TestServer.TempDirectory();
        var (fromNetJournalPort, toNetJournalPort) = TwoFreeUdpPorts();
        var server = StartServer(directory, new ForwardTarget("127.0.0.1", fromNetJournalPort));
        var outputFile = Path.Combine(directory, "rsyslog-out.log");
        var config = Path.Combine(directory, "rsyslog.conf");
        var workDirectory = Directory.CreateDirectory(Path.Combine(directory, "rsyslog-work")).FullName;
        // Based on ../shared/reference/rsyslog-tuned.conf. Two inputs with rulesets of their own: what NetJournal forwards
        // only goes to the file, and only what logger sends goes on to NetJournal, so no message can loop.
        await File.WriteAllTextAsync(config, $$"""
            global(workDirectory="{{workDirectory}}")
            main_queue(queue.type="FixedArray" queue.size="200000" queue.dequeueBatchSize="1024" queue.workerThreads="1")
            module(load="imudp" threads="2" batchSize="128")
            template(name="notes" type="string" string="%msgid%|%pri%|%hostname%|%app-name%|%msg%\n")
            ruleset(name="fromNetJournal") {
              action(type="omfile" file="{{outputFile}}" template="notes" ioBufferSize="256k" flushOnTXEnd="off" asyncWriting="on" flushInterval="1")
            }
            ruleset(name="toNetJournal") {
              action(type="omfwd" target="127.0.0.1" port="{{server.LocalEndPoint.Port}}" protocol="udp" template="RSYSLOG_SyslogProtocol23Format")
            }
            input(type="imudp" address="127.0.0.1" port="{{fromNetJournalPort}}" rcvbufSize="4m" ruleset="fromNetJournal")
            input(type="imudp" address="127.0.0.1" port="{{toNetJournalPort}}" rcvbufSize="4m" ruleset="toNetJournal")
            """);
        var log = new StringBuilder();
        var start = new ProcessStartInfo(RsyslogdPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-n", "-f", config, "-i", Path.Combine(directory, "rsyslog.pid")]) start.ArgumentList.Add(argument);
        using var rsyslog = Process.Start(start)!;
        rsyslog.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        rsyslog.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        rsyslog.BeginOutputReadLine();
        rsyslog.BeginErrorReadLine();
        try
        {
            Assert.True(await WaitForUdpListenerAsync(fromNetJournalPort) && await WaitForUdpListenerAsync(toNetJournalPort),
                $"rsyslogd did not start listening on 127.0.0.1:{fromNetJournalPort} and :{toNetJournalPort}; it said: {log}");

            // NetJournal --forward → rsyslog → its output file.
            var endPoint = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port);
            string[] texts = ["first note to rsyslog", "第二条 🙂", "third, with \"quotes\""];
            await using (var client = new JournalClient(endPoint, new JournalClientOptions { Name = "alice" }))
                Assert.Equal(texts.Length, (await client.WriteAsync(Lines.Of(texts))).Stored);
            var lines = await WaitForLinesAsync(outputFile, texts.Length);
            // Two imudp threads may write datagrams out of order: compare by seq (MSGID).
            Assert.Equal(texts.Select((t, i) => $"{i + 1}|13|127.0.0.1|alice|{t}"), lines.Order(StringComparer.Ordinal));

            // logger → rsyslog → NetJournal, stored with its facility and severity (and forwarded on to the file as seq 4).
            const string fromLogger = "via rsyslog 来的";
            var logger = await RunAsync(LoggerPath, ["-n", "127.0.0.1", "-P", toNetJournalPort.ToString(CultureInfo.InvariantCulture),
                "--udp", "--rfc5424", "-t", "interop", "-p", "local3.err", fromLogger]);
            Assert.True(logger.Code == 0, logger.Error);
            await WaitForNotesAsync(server, texts.Length + 1);
            var note = AllNotes(server)[^1];
            Assert.Equal(fromLogger, note.Text);
            Assert.Equal(NoteOrigin.Syslog, note.Origin);
            Assert.Equal((19, 3), (note.Facility, note.Severity));
            Assert.EndsWith("/interop", note.Client, StringComparison.Ordinal);
            lines = await WaitForLinesAsync(outputFile, texts.Length + 1);
            var forwardedAgain = Assert.Single(lines, l => l.StartsWith("4|", StringComparison.Ordinal));
            Assert.StartsWith("4|155|127.0.0.1|", forwardedAgain);
            Assert.EndsWith(fromLogger, forwardedAgain);
        }
        finally
        {
            // Only the child started here, by its own handle; never the system's rsyslog.
            if (!rsyslog.HasExited) rsyslog.Kill(entireProcessTree: true);
            using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10))) await rsyslog.WaitForExitAsync(exited.Token);
            lock (log)
            {
                if (log.ToString().Trim().Length > 0) output.WriteLine($"rsyslogd said: {log}");
            }
            await server.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Nc_sends_a_plain_note_and_reads_the_history_with_r()
    {
        var nc = ToolPath.Find("nc");
        if (nc is null) Assert.Skip("nc is not installed (apt-get install netcat-openbsd), so the README's nc commands were not tried.");
        await using var server = TestServer.Start();
        var port = server.EndPoint.Port.ToString(CultureInfo.InvariantCulture);
        var sent = await RunAsync(nc, ["-u", "-w1", "127.0.0.1", port], "note from nc 你好");
        Assert.True(sent.Code == 0, sent.Error);
        await WaitForNotesAsync(server.Server, 1);
        var note = Assert.Single(AllNotes(server.Server));
        Assert.Equal(("note from nc 你好", "127.0.0.1", NoteOrigin.PlainText), (note.Text, note.Client, note.Origin));

        var history = await RunAsync(nc, ["-u", "-w1", "127.0.0.1", port], "r");
        Assert.True(history.Code == 0, history.Error);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:127\.0\.0\.1:note from nc 你好\n$", history.Output);
    }

    /// <summary>Two loopback UDP ports nobody listens on, held together while they are picked so they differ.</summary>
    private static (int, int) TwoFreeUdpPorts()
    {
        using var a = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var b = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        a.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        b.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (((IPEndPoint)a.LocalEndPoint!).Port, ((IPEndPoint)b.LocalEndPoint!).Port);
    }

    /// <summary>Whether some socket is bound to 127.0.0.1:port, from /proc/net/udp; polled, at most 10 s.</summary>
    private static async Task<bool> WaitForUdpListenerAsync(int port)
    {
        var local = $"0100007F:{port:X4}";
        for (var i = 0; i < 200; i++)
        {
            var table = await File.ReadAllLinesAsync("/proc/net/udp");
            if (table.Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var address, ..] && address == local)) return true;
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>The file's lines once it has at least <paramref name="count"/>; polled, at most 20 s (rsyslog flushes every second).</summary>
    private static async Task<List<string>> WaitForLinesAsync(string path, int count)
    {
        List<string> lines = [];
        for (var i = 0; i < 200; i++)
        {
            if (File.Exists(path))
            {
                // rsyslog keeps the BOM that starts an RFC 5424 MSG; drop it to compare text.
                lines = [.. (await File.ReadAllTextAsync(path, Encoding.UTF8)).Replace("\uFEFF", "", StringComparison.Ordinal)
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries)];
                if (lines.Count >= count) break;
            }
            await Task.Delay(100);
        }
        return lines;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
