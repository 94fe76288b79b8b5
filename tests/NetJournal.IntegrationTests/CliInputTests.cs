using System.Net;
using System.Text.Json;
using NetJournal.Cli;

namespace NetJournal.IntegrationTests;

/// <summary>Input as real people type it, through the CLI in-process against a real server.</summary>
public sealed class CliInputTests
{
    private static async Task<(int Code, string Out, string Error)> Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error, In = new StringReader(input), Zone = TimeZoneInfo.Utc, Environment = _ => null };
        var code = await CliApp.RunAsync(args, context, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static List<JsonElement> Rows(string jsonLines) =>
        [.. jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    /// <summary>A file named <c>word</c> in the current folder, holding text that must never reach the journal.</summary>
    private sealed class LocalFile : IDisposable
    {
        public string Word { get; } = "team-" + Guid.NewGuid().ToString("n");
        public LocalFile() => File.WriteAllText(Word, "SECRET local contents");
        public void Dispose() => File.Delete(Word);
    }

    [Fact]
    public async Task An_at_word_in_write_name_grep_and_the_session_is_stored_and_matched_literally_never_read_from_a_file()
    {
        using var file = new LocalFile();
        var at = "@" + file.Word;
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("", "write", "-s", server.Address, "-n", at, at, "standup", "at", "10");
        Assert.True(code == 0, error);
        (code, _, error) = await Run($"{at} from the session\n", "-s", server.Address, "-n", "alice");
        Assert.True(code == 0, error);
        (code, var json, _) = await Run("", "history", "-s", server.Address, "--grep", at, "--format", "json");
        Assert.Equal(0, code);
        var rows = Rows(json);
        Assert.Equal([$"{at} standup at 10", $"{at} from the session"], rows.Select(r => r.GetProperty("text").GetString()));
        Assert.Equal([at, "alice"], rows.Select(r => r.GetProperty("client").GetString()));
        (_, var output, _) = await Run($"/history --grep {at}\n", "-s", server.Address, "-n", "alice", "--last", "0");
        Assert.Contains($"{at} standup at 10", output);
        Assert.DoesNotContain("SECRET", File.ReadAllText(server.JournalPath));
    }

    [Fact]
    public async Task Since_and_until_the_same_date_give_that_days_notes()
    {
        await using var server = TestServer.Start();
        await Run("one\ntwo\n", "write", "-s", server.Address, "-n", "w");
        var (_, json, _) = await Run("", "history", "-s", server.Address, "--format", "json");
        var day = Rows(json)[0].GetProperty("time").GetString()![..10];
        var (code, dayJson, _) = await Run("", "history", "-s", server.Address, "--since", day + "Z", "--until", day + "Z", "--format", "json");
        Assert.Equal(0, code);
        Assert.Equal(["one", "two"], Rows(dayJson).Select(r => r.GetProperty("text").GetString()));

        var dayBefore = DateOnly.ParseExact(day, "yyyy-MM-dd").AddDays(-1).ToString("yyyy-MM-dd");
        (code, var none, var error) = await Run("", "history", "-s", server.Address, "--since", dayBefore + "Z", "--until", dayBefore + "Z");
        Assert.Equal(0, code);
        Assert.Equal("", none);
        Assert.Equal("no notes match these filters", error.Trim());
    }

    [Fact]
    public async Task Last_0_prints_no_note_and_a_filter_that_matches_nothing_says_so()
    {
        await using var server = TestServer.Start();
        await Run("a\nb\n", "write", "-s", server.Address, "-n", "w");
        var (code, output, error) = await Run("", "history", "-s", server.Address, "--last", "0");
        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Equal("", error);

        (code, output, error) = await Run("", "history", "-s", server.Address, "--client", "nobody", "--format", "json");
        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Equal("no notes match these filters", error.Trim());
    }

    [Fact]
    public async Task Write_skips_blank_lines_as_the_session_does()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("first\n   \n\t\n\nsecond\n", "write", "-s", server.Address, "-n", "w");
        Assert.Equal(0, code);
        Assert.Contains("stored 2 notes", error);
        Assert.Equal(2, server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task An_ipv4_mapped_address_filter_finds_the_notes_of_that_ipv4_sender()
    {
        await using var server = TestServer.Start();
        await Run("", "write", "-s", server.Address, "-n", "w", "from loopback");
        var (code, json, _) = await Run("", "history", "-s", server.Address, "--address", "::ffff:127.0.0.1", "--format", "json");
        Assert.Equal(0, code);
        Assert.Equal(["from loopback"], Rows(json).Select(r => r.GetProperty("text").GetString()));
        Assert.Equal(IPAddress.Loopback.ToString(), Rows(json)[0].GetProperty("address").GetString()!.Split(':')[0]);
    }

    [Fact]
    public async Task A_name_of_129_bytes_is_refused_with_exit_code_2_and_nothing_is_sent()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("", "write", "-s", server.Address, "-n", new string('n', 129), "hello");
        Assert.Equal(2, code);
        Assert.Contains("--name takes a name of at most 128 bytes", error);
        Assert.Equal(0, server.Server.Store.NoteCount);
    }
}
