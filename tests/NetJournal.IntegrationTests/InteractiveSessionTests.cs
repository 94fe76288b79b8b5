using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using NetJournal.Cli;

namespace NetJournal.IntegrationTests;

/// <summary>The interactive session loses nothing typed: on Ctrl-C, on a refusal, and with a server that does not answer.</summary>
public sealed class InteractiveSessionTests
{
    /// <summary>Standard input as a person types it: lines arrive when the test gives them, and reading waits (Ctrl-C ends the wait).</summary>
    private sealed class TypedInput : TextReader
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public void Type(string line) => _lines.Writer.TryWrite(line);

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
            await _lines.Reader.ReadAsync(cancellationToken);
    }

    /// <summary>Standard error that signals once a given text has been written to it.</summary>
    private sealed class WatchedWriter(string awaited) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override void Write(char value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            Check();
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            Check();
        }

        private void Check()
        {
            if (ToString().Contains(awaited, StringComparison.Ordinal)) _seen.TrySetResult();
        }
    }

    private static CliContext Context(TextReader input, StringWriter error) => new()
    {
        Out = new StringWriter(), Error = error, In = input, Environment = _ => null,
    };

    [Fact]
    public async Task Ctrl_C_prints_back_the_note_being_sent_and_exits_130()
    {
        // A server that receives and never answers: the note stays in flight until Ctrl-C.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.LocalEndPoint!).Port;
        var input = new TypedInput();
        var error = new StringWriter();
        using var ctrlC = new CancellationTokenSource();
        var session = CliApp.RunAsync(["-s", $"127.0.0.1:{port}", "-n", "ana", "--timeout", "60"], Context(input, error), ctrlC.Token);

        // The session first asks for the history; give the note once that request has arrived, then wait for the note.
        var buffer = new byte[65_536];
        await silent.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        input.Type("未确认的笔记 do not lose me");
        while (true)
        {
            var n = await silent.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            if (System.Text.Encoding.UTF8.GetString(buffer, 0, n).Contains("do not lose me", StringComparison.Ordinal)) break;
        }
        ctrlC.Cancel();

        Assert.Equal(130, await session.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Contains("1 note was not stored; here they are so nothing is lost:\n未确认的笔记 do not lose me\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Ctrl_C_after_an_unanswered_note_prints_it_back()
    {
        var port = ServerProcess.FreeUdpPort();
        var input = new TypedInput();
        var error = new WatchedWriter("waiting; /retry");
        using var ctrlC = new CancellationTokenSource();
        input.Type("nobody heard this");
        var session = CliApp.RunAsync(["-s", $"127.0.0.1:{port}", "-n", "ana", "--timeout", "1"], Context(input, error), ctrlC.Token);
        // Wait until the session has given up on the note, then press Ctrl-C while it waits for the next line.
        await error.Seen.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        ctrlC.Cancel();

        Assert.Equal(130, await session.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.EndsWith("here they are so nothing is lost:\nnobody heard this\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_piped_session_prints_back_a_refused_note_and_exits_1()
    {
        await using var server = TestServer.Start();
        var tooLong = new string('x', 4097);
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["-s", server.Address, "-n", "ana"], Context(new StringReader($"fine\n{tooLong}\nalso fine\n"), error));

        Assert.Equal(1, code);
        var text = error.ToString().ReplaceLineEndings("\n");
        Assert.Contains("stored #1", text);
        Assert.Contains("stored #2", text);
        Assert.EndsWith($"1 note was refused by the server; here they are so nothing is lost:\n{tooLong}\n", text);
    }
}
