using System.Text.Json;
using NetJournal.Cli;

namespace NetJournal.IntegrationTests;

/// <summary>The netjournal commands run in-process against a real server, with their output captured.</summary>
public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Error)> Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output, Error = error, In = new StringReader(input),
            Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
            Environment = _ => null,
        };
        var code = await CliApp.RunAsync(args, context);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Write_from_stdin_then_history_as_json_lines_carries_every_field()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("第一条\n\nsecond note 🙂\n", "write", "--server", server.Address, "--name", "王五");
        Assert.Equal(0, code);
        Assert.Contains("stored 2 notes", error);
        (code, var json, _) = await Run("", "history", "--server", server.Address, "--format", "json");
        Assert.Equal(0, code);
        var rows = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["第一条", "second note 🙂"], rows.Select(r => r.GetProperty("text").GetString()));
        Assert.Equal([1L, 2L], rows.Select(r => r.GetProperty("seq").GetInt64()));
        Assert.All(rows, r => Assert.Equal("王五", r.GetProperty("client").GetString()));
        Assert.All(rows, r => Assert.StartsWith("127.0.0.1:", r.GetProperty("address").GetString()));
        Assert.All(rows, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", r.GetProperty("time").GetString()));
    }

    [Fact]
    public async Task Write_with_stats_reports_rate_retransmissions_and_acknowledgement_latency()
    {
        await using var server = TestServer.Start();
        var input = string.Join('\n', Enumerable.Range(1, 2000).Select(i => $"note {i} 笔记 🙂"));
        var (code, _, error) = await Run(input, "write", "-s", server.Address, "-n", "w", "--stats");
        Assert.Equal(0, code);
        Assert.Matches(@"^2,000 notes sent in \d+\.\d\d s: 2,000 stored \([\d,]+/s\), 0 not stored, \d+ retransmissions; acknowledged after: median [\d.,]+ ms, p90 [\d.,]+ ms, p99 [\d.,]+ ms, p99\.9 [\d.,]+ ms, max [\d.,]+ ms\n", error);
        Assert.Contains("stored 2,000 notes", error);
    }

    [Fact]
    public async Task Write_with_stats_json_prints_one_object_whose_buckets_hold_every_note()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("a\nb\nc\n", "write", "-s", server.Address, "--stats-json");
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(error.Split('\n')[0]).RootElement;
        Assert.Equal(3, json.GetProperty("sent").GetInt64());
        Assert.Equal(3, json.GetProperty("stored").GetInt64());
        Assert.Equal(0, json.GetProperty("unanswered").GetInt64());
        var latency = json.GetProperty("ackLatencyMs");
        Assert.Equal(3, latency.GetProperty("count").GetInt64());
        Assert.Equal(3, latency.GetProperty("buckets").EnumerateArray().Sum(b => b[1].GetInt64()));
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("p999").GetDouble() <= latency.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task Write_with_stats_counts_a_refused_line_as_not_stored_and_keeps_it_out_of_the_latency()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run(new string('x', 4097) + "\nfine\n", "write", "-s", server.Address, "--stats-json");
        Assert.Equal(1, code);
        var json = JsonDocument.Parse(error.Split('\n').First(l => l.StartsWith('{'))).RootElement;
        Assert.Equal(1, json.GetProperty("stored").GetInt64());
        Assert.Equal(1, json.GetProperty("refused").GetInt64());
        Assert.Equal(1, json.GetProperty("ackLatencyMs").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Text_history_has_day_headings_and_aligns_names_by_display_width()
    {
        await using var server = TestServer.Start();
        await Run("", "write", "-s", server.Address, "-n", "张三丰", "太极");
        await Run("", "write", "-s", server.Address, "-n", "bob", "hello");
        var (_, text, _) = await Run("", "history", "-s", server.Address);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^── \d{4}-\d\d-\d\d \w+ ──$", lines[0]);
        Assert.Matches(@"^\d\d:\d\d:\d\d  张三丰  太极$", lines[1]);
        Assert.Matches(@"^\d\d:\d\d:\d\d  bob     hello$", lines[2]);
    }

    [Fact]
    public async Task Control_and_bidi_characters_are_stored_exactly_but_printed_escaped()
    {
        await using var server = TestServer.Start();
        const string evil = "before\u001b]0;pwned\u0007\u001b[2Jafter\u202eevil";
        await Run("", "write", "-s", server.Address, "-n", "mallory", evil);
        var (_, text, _) = await Run("", "history", "-s", server.Address);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u202e', text);
        Assert.Contains(@"before\x1b]0;pwned\x07\x1b[2Jafter\u202eevil", text);
        var (_, json, _) = await Run("", "history", "-s", server.Address, "--format", "json");
        Assert.Equal(evil, JsonDocument.Parse(json).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_session_prints_history_then_stores_each_line_and_answers_slash_commands()
    {
        await using var server = TestServer.Start();
        await Run("", "write", "-s", server.Address, "-n", "earlier", "昨天的笔记");
        var (code, output, error) = await Run("今天的笔记\n/history --client earlier\n/clients\n/help\n/quit\nnever sent\n", "-s", server.Address, "-n", "me");
        Assert.Equal(0, code);
        Assert.Contains("昨天的笔记", output);
        Assert.Contains("stored #2", error);
        Assert.Contains("me ", output);
        Assert.Contains("/history", error);
        await using var reader = server.Client("reader");
        var notes = await reader.HistoryAsync(NetJournal.Protocol.HistoryFilter.None).ToListAsync();
        Assert.Equal(["昨天的笔记", "今天的笔记"], notes.Select(n => n.Text));
    }

    [Fact]
    public async Task The_session_shows_only_the_latest_notes_and_says_how_many_are_hidden()
    {
        await using var server = TestServer.Start();
        await Run(string.Join('\n', Enumerable.Range(1, 30).Select(i => $"n{i}")), "write", "-s", server.Address, "-n", "w");
        var (_, output, error) = await Run("", "-s", server.Address, "--last", "10");
        Assert.Contains("20 notes before the latest 10 are not shown", error);
        Assert.Contains("n30", output);
        Assert.DoesNotContain("n20\n", output);
        Assert.Contains("n21", output);
    }

    [Fact]
    public async Task Writing_to_a_server_that_is_not_there_says_so_and_fails()
    {
        var port = ServerProcess.FreeUdpPort();
        var (code, _, error) = await Run("", "write", "-s", $"127.0.0.1:{port}", "--timeout", "1", "无人接收");
        Assert.Equal(1, code);
        Assert.Contains("1 of 1 note was not stored", error);
        Assert.Contains("no NetJournal server is listening", error);
    }

    [Fact]
    public async Task A_typed_note_the_server_did_not_confirm_is_printed_on_leaving()
    {
        var port = ServerProcess.FreeUdpPort();
        var (code, _, error) = await Run("不能丢的笔记\n", "-s", $"127.0.0.1:{port}", "--timeout", "1");
        Assert.Equal(1, code);
        Assert.Contains("1 note was not stored; here they are", error);
        Assert.EndsWith("不能丢的笔记", error.TrimEnd());
    }

    [Fact]
    public async Task A_note_over_4096_bytes_is_refused_with_a_clear_message()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run(new string('x', 4097) + "\nfine\n", "write", "-s", server.Address);
        Assert.Equal(1, code);
        Assert.Contains("line 1: the note is longer than 4096 bytes", error);
        Assert.Equal(1, server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task Max_rate_takes_zero_for_unpaced_and_refuses_a_negative_rate_with_a_clear_message()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("", "write", "-s", server.Address, "--max-rate", "-1", "不该存");
        Assert.Equal(2, code);
        Assert.Contains("--max-rate takes a number of datagrams a second, 0 or more", error);
        Assert.Equal(0, server.Server.Store.NoteCount);

        (code, _, error) = await Run("", "write", "-s", server.Address, "--max-rate", "0", "全速");
        Assert.True(code == 0, error);
        Assert.Equal(1, server.Server.Store.NoteCount);
        (code, var json, _) = await Run("", "history", "-s", server.Address, "--max-rate", "5", "--format", "json");
        Assert.Equal(0, code);
        Assert.Contains("全速", json);
    }

    [Fact]
    public async Task A_wrong_command_line_says_what_was_wrong_on_standard_error_and_exits_2()
    {
        var (code, output, error) = await Run("", "history", "--bogus");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("netjournal: Unrecognized command or argument '--bogus'", error);
        Assert.Contains("see 'netjournal history --help'", error);
    }

    [Fact]
    public async Task A_mistyped_option_is_not_stored_as_a_note_but_after_a_double_dash_the_words_are()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("", "write", "-s", server.Address, "--stast", "你好");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--stast'; to write a note that starts with '-', put -- before it", error);
        Assert.Equal(0, server.Server.Store.NoteCount);

        (code, _, error) = await Run("", "write", "-s", server.Address, "--", "--stast", "你好", "-5");
        Assert.True(code == 0, error);
        (_, var json, _) = await Run("", "history", "-s", server.Address, "--format", "json");
        Assert.Equal("--stast 你好 -5", JsonDocument.Parse(json.Split('\n')[0]).RootElement.GetProperty("text").GetString());
    }
}
