using System.Diagnostics;
using System.Net;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Testing;

namespace NetJournal.IntegrationTests;

/// <summary>
/// The journal bot through real processes: `netjournal serve` with the built-in bot, notes written and questions
/// asked with the `netjournal` command, and the answers found again in the journal as notes of the client bot.
/// </summary>
public sealed class BotTests
{
    private static async Task<(int Code, string Out, string Error)> Netjournal(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(ServerProcess.DefaultCli);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["NETJOURNAL_SERVER"] = null;
        info.Environment["NETJOURNAL_NAME"] = null;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<List<Note>> HistoryAsync(ServerProcess server)
    {
        await using var client = server.Client("reader");
        var notes = new List<Note>();
        await foreach (var note in client.HistoryAsync(HistoryFilter.None)) notes.Add(note);
        return notes;
    }

    [Fact]
    public async Task Ask_prints_the_answer_citing_seqs_and_the_answer_is_then_in_history_as_a_note_of_bot()
    {
        await using var server = await ServerProcess.StartAsync(TestServer.TempDirectory());
        var (code, _, error) = await Netjournal("write", "-s", server.EndPoint.ToString(), "-n", "alice", "buy milk");
        Assert.True(code == 0, error);
        (code, _, error) = await Netjournal("write", "-s", server.EndPoint.ToString(), "-n", "bob", "call mom");
        Assert.True(code == 0, error);

        var (askCode, answer, askError) = await Netjournal("ask", "-s", server.EndPoint.ToString(), "-n", "carol", "how many notes today");

        Assert.True(askCode == 0, askError + server.Log);
        Assert.Equal("2 notes today: #2, #1.\n", answer);
        var notes = await HistoryAsync(server);
        Assert.Equal(["alice", "bob", "carol", "bot"], notes.Select(n => n.Client));
        Assert.Equal("@bot how many notes today", notes[2].Text);
        Assert.Equal("2 notes today: #2, #1.", notes[3].Text);
        Assert.Equal(NoteOrigin.Bot, notes[3].Origin);
    }

    [Fact]
    public async Task Ask_in_chinese_is_answered_in_chinese()
    {
        await using var server = await ServerProcess.StartAsync(TestServer.TempDirectory());
        var (code, _, error) = await Netjournal("write", "-s", server.EndPoint.ToString(), "-n", "张三", "今天开会");
        Assert.True(code == 0, error);

        var (askCode, answer, askError) = await Netjournal("ask", "-s", server.EndPoint.ToString(), "-n", "李四", "今天谁写得最多");

        Assert.True(askCode == 0, askError);
        Assert.Equal("今天写得最多的是 张三，1 条（#1）。\n", answer);
    }

    [Fact]
    public async Task A_note_starting_with_at_bot_gets_an_answer_stored_as_a_note_of_bot()
    {
        await using var server = await ServerProcess.StartAsync(TestServer.TempDirectory());
        var (code, _, error) = await Netjournal("write", "-s", server.EndPoint.ToString(), "-n", "alice", "standup at ten");
        Assert.True(code == 0, error);
        (code, _, error) = await Netjournal("write", "-s", server.EndPoint.ToString(), "-n", "bob", "@bot when did alice last write");
        Assert.True(code == 0, error);

        // The answer is stored after the question, by the bot's own task: read the journal until it is there (bounded).
        List<Note> notes = [];
        for (var i = 0; i < 100 && notes.Count < 3; i++)
        {
            notes = await HistoryAsync(server);
            if (notes.Count < 3) await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Equal(3, notes.Count);
        Assert.Equal("bot", notes[2].Client);
        Assert.Equal(NoteOrigin.Bot, notes[2].Origin);
        Assert.StartsWith("alice last wrote at ", notes[2].Text);
        Assert.EndsWith("(#1).", notes[2].Text);
    }

    [Fact]
    public async Task Ask_without_a_question_is_a_bad_command_line_and_an_unreachable_server_is_exit_1()
    {
        var (code, _, error) = await Netjournal("ask");
        Assert.Equal(2, code);
        Assert.Contains("question", error);

        var port = ServerProcess.FreeUdpPort();
        (code, var output, error) = await Netjournal("ask", "-s", new IPEndPoint(IPAddress.Loopback, port).ToString(), "--timeout", "1", "how many notes today");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("netjournal:", error);
    }

    [Fact]
    public async Task Serve_with_bot_url_asks_the_endpoint_with_the_notes_and_stores_its_answer_as_one_line()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync();
        endpoint.Answer = "One note today:\n#1 by alice.";
        await using var server = ServerProcess.Start(ServerProcess.DefaultCli, TestServer.TempDirectory(), IPAddress.Loopback, 0,
            "--bot-url", endpoint.BaseUrl + "v1", "--bot-model", "tiny-model", "--bot-timeout", "20");
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        var (code, _, error) = await Netjournal("write", "-s", server.EndPoint.ToString(), "-n", "alice", "planted tomatoes");
        Assert.True(code == 0, error);

        var (askCode, answer, askError) = await Netjournal("ask", "-s", server.EndPoint.ToString(), "-n", "carol", "what happened today?");

        Assert.True(askCode == 0, askError + server.Log);
        Assert.Equal("One note today: #1 by alice.\n", answer);
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("tiny-model", request.Body.GetProperty("model").GetString());
        Assert.Contains("planted tomatoes", request.Message("user"));
        var notes = await HistoryAsync(server);
        Assert.Equal(["alice", "carol", "bot"], notes.Select(n => n.Client));
        Assert.Equal("One note today: #1 by alice.", notes[2].Text);
    }

    [Theory]
    [InlineData("--bot-url", "ftp://x")]
    [InlineData("--bot-model", "tiny")]
    [InlineData("--bot-timeout", "0")]
    public async Task A_bad_bot_option_is_a_bad_command_line(string option, string value)
    {
        var (code, _, error) = await Netjournal("serve", "--port", "0", "--data", TestServer.TempDirectory(), option, value);
        Assert.Equal(2, code);
        Assert.Contains("--bot-", error);
    }

    [Fact]
    public async Task Slash_ask_in_the_session_prints_the_answer_and_a_note_can_follow()
    {
        await using var server = TestServer.Start(configure: o => o.Bot = new NetJournal.Server.Bot.BotOptions());
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new NetJournal.Cli.CliContext
        {
            Out = output,
            Error = error,
            In = new StringReader("first note\n/ask how many notes today\n/ask\n"),
            Environment = _ => null,
        };

        var code = await NetJournal.Cli.CliApp.RunAsync(["-s", server.Address, "-n", "ann"], context, TestContext.Current.CancellationToken);

        Assert.True(code == 0, error.ToString());
        Assert.Contains("1 note today: #1.", output.ToString());
        Assert.Contains("ask takes a question", error.ToString());
        var notes = server.Server.Store.ReadPage(HistoryFilter.None, 0, 0, 1 << 20).Notes;
        Assert.Equal(["first note", "@bot how many notes today", "1 note today: #1."], notes.Select(n => n.Text));
    }
}
