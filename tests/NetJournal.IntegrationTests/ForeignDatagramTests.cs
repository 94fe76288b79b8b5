using System.Diagnostics;
using System.Net;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.IntegrationTests;

/// <summary>Datagrams from tools that do not speak NetJournal: plain text, the classroom `r`, syslog from `logger`, a Python client.</summary>
public sealed class ForeignDatagramTests
{
    private const string LoggerPath = "/usr/bin/logger";

    /// <summary>Plain-text and syslog notes get no acknowledgement: wait, bounded, until the journal holds the count.</summary>
    private static async Task WaitForNotesAsync(TestServer server, int count)
    {
        for (var i = 0; i < 200 && server.Server.Store.NoteCount < count; i++) await Task.Delay(25);
        Assert.Equal(count, server.Server.Store.NoteCount);
    }

    private static IReadOnlyList<Note> AllNotes(TestServer server) =>
        server.Server.Store.ReadPage(HistoryFilter.None, 0, 0, ProtocolConstants.MaxDatagram).Notes;

    private static async Task<List<byte[]>> ReceiveAllAsync(RawUdp raw)
    {
        var datagrams = new List<byte[]>();
        while (await raw.ReceiveAsync(TimeSpan.FromMilliseconds(datagrams.Count == 0 ? 5000 : 500)) is { } datagram) datagrams.Add(datagram);
        return datagrams;
    }

    [Fact]
    public async Task Plain_utf8_and_gb18030_notes_are_stored_under_the_source_ip()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        raw.Send(Encoding.UTF8.GetBytes("plain note ✓\n"));
        raw.Send(Encoding.GetEncoding("GB18030").GetBytes("你好，世界"));
        await WaitForNotesAsync(server, 2);

        var notes = AllNotes(server);
        Assert.Equal(["plain note ✓", "你好，世界"], notes.Select(n => n.Text));
        Assert.All(notes, n => Assert.Equal("127.0.0.1", n.Client));
        Assert.All(notes, n => Assert.Equal(NoteOrigin.PlainText, n.Origin));
        Assert.Equal(2, server.Server.Counters.PlainNotes);
    }

    [Fact]
    public async Task Unparsable_angle_bracket_datagram_is_kept_as_plain_text()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        raw.Send("<html> is not syslog"u8);
        raw.Send("<13>1 - - - - - -"u8);
        await WaitForNotesAsync(server, 1);
        await Task.Delay(200);
        var note = Assert.Single(AllNotes(server));
        Assert.Equal("<html> is not syslog", note.Text);
        Assert.Equal(NoteOrigin.PlainText, note.Origin);
        // The second one is syslog with an empty MSG: counted as rejected, not stored.
        Assert.Equal(1, server.Server.Counters.Rejected);
    }

    [Fact]
    public async Task Syslog_datagram_without_hostname_is_stored_under_source_ip_and_app()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        raw.Send("<165>1 - - app - - - 日志 🙂\r\n"u8);
        await WaitForNotesAsync(server, 1);
        var note = Assert.Single(AllNotes(server));
        Assert.Equal("127.0.0.1/app", note.Client);
        Assert.Equal("日志 🙂", note.Text);
        Assert.Equal(NoteOrigin.Syslog, note.Origin);
        Assert.Equal((byte)165, note.Priority);
    }

    [Fact]
    public async Task Syslog_and_plain_text_as_real_senders_send_them_are_stored_with_client_priority_and_text()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        // rsyslog's RSYSLOG_ForwardFormat: an RFC 3339 timestamp in the BSD layout.
        raw.Send("<13>2026-11-30T03:06:34+00:00 vm backup: nightly backup done"u8);
        // Python's logging.handlers.SysLogHandler with a "%(name)s: %(message)s" formatter: no timestamp, no hostname, a NUL.
        raw.Send("<12>pyapp: hello\0"u8);
        // Cisco IOS: a sequence number, an unsynchronised clock mark and milliseconds.
        raw.Send("<189>52: *Nov 30 03:06:34.123: %SYS-5-CONFIG_I: Configured from console"u8);
        // A syslog MSG in GB18030.
        raw.Send([.. "<14>Nov  3 03:06:34 host app: "u8, .. Encoding.GetEncoding("GB18030").GetBytes("你好")]);
        // UTF-8 with one Latin-1 byte, and UTF-8 after a BOM.
        raw.Send([.. "你好 caf"u8, 0xE9]);
        raw.Send([0xEF, 0xBB, 0xBF, .. "bom note\n"u8]);
        await WaitForNotesAsync(server, 6);

        var notes = AllNotes(server).Select(n => (n.Client, n.Priority, n.Text, n.Origin)).ToList();
        Assert.Equal(
            [
                ("vm/backup", (byte?)13, "nightly backup done", NoteOrigin.Syslog),
                ("127.0.0.1/pyapp", (byte?)12, "hello", NoteOrigin.Syslog),
                ("127.0.0.1/%SYS-5-CONFIG_I", (byte?)189, "Configured from console", NoteOrigin.Syslog),
                ("host/app", (byte?)14, "你好", NoteOrigin.Syslog),
                ("127.0.0.1", (byte?)null, "你好 caf\uFFFD", NoteOrigin.PlainText),
                ("127.0.0.1", (byte?)null, "bom note", NoteOrigin.PlainText),
            ],
            notes);
    }

    [Fact]
    public async Task Python_sysloghandler_messages_are_stored_as_syslog_notes()
    {
        await using var server = TestServer.Start();
        const string script = """
            import logging, logging.handlers, sys
            handler = logging.handlers.SysLogHandler(address=("127.0.0.1", int(sys.argv[1])))
            handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
            log = logging.getLogger("pyapp")
            log.addHandler(handler)
            log.warning("hello")
            log.error("出错了")
            """;
        var result = await RunAsync("python3", ["-c", script, server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.Code == 0, result.Error);
        await WaitForNotesAsync(server, 2);

        Assert.Equal(
            [("127.0.0.1/pyapp", (byte?)12, "hello"), ("127.0.0.1/pyapp", (byte?)11, "出错了")],
            AllNotes(server).Select(n => (n.Client, n.Priority, n.Text)));
    }

    [Fact]
    public async Task R_returns_the_history_as_lines_in_datagrams_of_at_most_1024_bytes()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        var texts = Enumerable.Range(1, 80).Select(i => $"note {i:D3} 中文 " + new string('x', i % 40)).ToList();
        foreach (var text in texts) raw.Send(Encoding.UTF8.GetBytes(text));
        await WaitForNotesAsync(server, texts.Count);

        raw.Send("r\n"u8);
        var datagrams = await ReceiveAllAsync(raw);

        Assert.True(datagrams.Count > 1, "80 notes do not fit one datagram");
        Assert.All(datagrams, d => Assert.InRange(d.Length, 1, 1024));
        Assert.All(datagrams, d => Assert.Equal((byte)'\n', d[^1]));
        var lines = string.Concat(datagrams.Select(d => Encoding.UTF8.GetString(d))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(texts.Count, lines.Length);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:127\.0\.0\.1:", lines[i]);
            Assert.EndsWith(":127.0.0.1:" + texts[i], lines[i]);
        }
        Assert.Equal(1, server.Server.Counters.PlainHistoryRequests);
    }

    [Fact]
    public async Task What_breaks_the_note_rules_from_a_fire_and_forget_sender_is_stored_and_read_back_whole_or_cut()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        const string trace = "java.lang.IllegalStateException: closed\n\tat com.example.Pool.take(Pool.java:88)\n\tat com.example.Main.main(Main.java:7)";
        var host = new string('h', 200);
        raw.Send(Encoding.UTF8.GetBytes($"<11>Nov 30 03:06:34 web01 java: {trace}\n"));
        raw.Send("<14>1 2026-11-30T03:06:34Z host app - - [exampleSDID@32473 iut=\"3\"]"u8);
        raw.Send(Encoding.UTF8.GetBytes($"<13>Nov 30 03:06:34 {host} app: long host"));
        raw.Send(Encoding.UTF8.GetBytes(new string('p', 5000)));
        raw.Send(Encoding.UTF8.GetBytes("<13>Nov 30 03:06:34 host app: " + new string('s', 5000)));
        await WaitForNotesAsync(server, 5);

        // Read back through the native client: the texts travel as stored, line breaks included.
        await using var reader = server.Client("reader");
        var notes = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
        Assert.Equal(
            [("web01/java", trace), ("host/app", "[exampleSDID@32473 iut=\"3\"]"), (new string('h', 124) + "/app", "long host"),
                ("127.0.0.1", new string('p', 4076) + "… [cut: 924 bytes]"), ("host/app", new string('s', 4076) + "… [cut: 924 bytes]")],
            notes.Select(n => (n.Client, n.Text)));
        Assert.Equal((0L, 3L), (server.Server.Counters.Rejected, server.Server.Counters.Cut));

        // The plain-text history shows the stack trace on one line, its breaks escaped.
        raw.Send("r"u8);
        var lines = string.Concat((await ReceiveAllAsync(raw)).Select(d => Encoding.UTF8.GetString(d))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.EndsWith(":web01/java:" + trace.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal), lines[0]);
    }

    [Fact]
    public async Task R_escapes_control_characters_so_a_note_cannot_recolour_the_terminal_of_nc()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        raw.Send("\u001b[31mred alert\u001b[0m \u202eexe.txt"u8);
        await WaitForNotesAsync(server, 1);

        raw.Send("r\n"u8);
        var reply = Encoding.UTF8.GetString(Assert.Single(await ReceiveAllAsync(raw)));

        Assert.EndsWith(":127.0.0.1:\\x1b[31mred alert\\x1b[0m \\u202eexe.txt\n", reply);
        Assert.DoesNotContain('\u001b', reply);
        // The journal keeps the exact text.
        Assert.Equal("\u001b[31mred alert\u001b[0m \u202eexe.txt", Assert.Single(AllNotes(server)).Text);
    }

    [Fact]
    public async Task R_from_outside_the_allow_list_is_dropped_and_counted()
    {
        var directory = TestServer.TempDirectory();
        var server = new JournalServer(new JournalServerOptions
        {
            Bind = IPAddress.Loopback, Port = 0, DataDirectory = directory, PlainHistoryAllow = [IPNetwork.Parse("10.0.0.0/8")],
        });
        server.Start();
        try
        {
            using var raw = new RawUdp(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port));
            raw.Send("R"u8);
            Assert.Null(await raw.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
            Assert.Equal(1, server.Counters.PlainHistoryRefused);
            Assert.Equal(0, server.Store.NoteCount);
        }
        finally
        {
            await server.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--rfc5424")]
    [InlineData("--rfc3164")]
    public async Task Logger_command_stores_a_syslog_note(string format)
    {
        if (!File.Exists(LoggerPath)) Assert.Skip($"{LoggerPath} is not installed, so the real logger cannot be tried.");
        await using var server = TestServer.Start();
        var text = $"from logger {format} 你好";
        var exit = await RunAsync(LoggerPath, ["-n", "127.0.0.1", "-P", server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--udp", format, "-t", "myapp", "-p", "local3.err", text]);
        Assert.Equal(0, exit.Code);
        await WaitForNotesAsync(server, 1);

        var note = Assert.Single(AllNotes(server));
        Assert.Equal(text, note.Text);
        Assert.Equal(NoteOrigin.Syslog, note.Origin);
        Assert.Equal((byte)(19 * 8 + 3), note.Priority);
        // logger sends the full host name with --rfc5424 and the short one with --rfc3164.
        var slash = note.Client.LastIndexOf('/');
        Assert.Equal("myapp", note.Client[(slash + 1)..]);
        Assert.Equal(Dns.GetHostName().Split('.')[0], note.Client[..slash].Split('.')[0]);
    }

    [Fact]
    public async Task Python_classroom_client_writes_notes_and_reads_them_back_with_r()
    {
        await using var server = TestServer.Start();
        const string script = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(5)
            addr = ("127.0.0.1", int(sys.argv[1]))
            for note in ["first from python", "第二条"]:
                s.sendto(note.encode("utf-8"), addr)
            import time
            time.sleep(0.5)
            s.sendto(b"r", addr)
            data = s.recv(1024)
            sys.stdout.write(data.decode("utf-8"))
            """;
        var python = ToolPath.Find("python3");
        if (python is null) Assert.Skip("python3 is not installed, so the classroom client cannot be tried.");
        var result = await RunAsync(python, ["-c", script, server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.Code == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(":127.0.0.1:first from python", lines[0]);
        Assert.EndsWith(":127.0.0.1:第二条", lines[1]);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
