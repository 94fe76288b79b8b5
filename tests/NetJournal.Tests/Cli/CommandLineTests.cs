using System.CommandLine;
using NetJournal.Cli;
using NetJournal.Cli.Commands;
using NodaTime;

namespace NetJournal.Tests.Cli;

/// <summary>Wrong command lines are refused before anything is sent: exit code 2 and one sentence in the project's words.</summary>
public sealed class CommandLineTests
{
    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }

    private static CliContext Context(StringWriter output, StringWriter error) => new()
    {
        Out = output, Error = error, In = new StringReader(""),
        Zone = TimeZoneInfo.Utc,
        Clock = new FixedClock(Instant.FromUtc(2026, 11, 30, 12, 0)),
        Environment = _ => null,
    };

    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, Context(output, error), TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The query a `history` command line asks for, parsed as the CLI parses it.</summary>
    private static HistoryQuery History(params string[] args)
    {
        var context = Context(new StringWriter(), new StringWriter());
        var root = CliApp.Build(context);
        var parse = root.Parse(["history", .. args], CliApp.ParserConfiguration);
        Assert.Empty(parse.Errors);
        return root.Subcommands.OfType<HistoryCommand>().Single().Read(parse, null);
    }

    [Theory]
    [InlineData("--last and --all cannot be given together", "history", "--last", "5", "--all")]
    [InlineData("--last and --all cannot be given together", "--last", "5", "--all")]
    [InlineData("--last takes a number of notes, 0 or more, not 'abc'", "history", "--last", "abc")]
    [InlineData("--last takes a number of notes, 0 or more, not '-1'", "history", "--last", "-1")]
    [InlineData("--last takes a number of notes, 0 or more, not 'x'", "--last", "x")]
    [InlineData("--max-rate takes a number of datagrams a second, 0 or more (0 sends as fast as possible), not 'x'", "history", "--max-rate", "x")]
    [InlineData("--max-rate takes a number of datagrams a second, 0 or more", "write", "--max-rate", "-1", "hi")]
    [InlineData("--timeout takes a number of seconds, such as 10 or 2.5, not 'x'", "history", "--timeout", "x")]
    [InlineData("--timeout takes a number of seconds, such as 10 or 2.5, not '-3'", "write", "--timeout", "-3", "hi")]
    [InlineData("--format takes text, json, csv or md, not 'XML'", "history", "--format", "XML")]
    [InlineData("--format takes text or json, not 'csv'", "clients", "--format", "csv")]
    [InlineData("--port takes a UDP port, 0 to 65535 (0: any free port), not '70000'", "serve", "--port", "70000")]
    [InlineData("--port takes a UDP port, 0 to 65535 (0: any free port), not 'abc'", "serve", "--port", "abc")]
    [InlineData("--max-batch takes the most notes per write and fsync, 1 to 65536, not 'many'", "serve", "--max-batch", "many")]
    [InlineData("--http takes a port (8080, on loopback) or ADDRESS:PORT (0.0.0.0:8080, [::]:8080), not 'example.org:80'", "serve", "--http", "example.org:80")]
    [InlineData("--http takes a port (8080, on loopback) or ADDRESS:PORT (0.0.0.0:8080, [::]:8080), not '65536'", "serve", "--http", "65536")]
    [InlineData("--since: '2026-02-29' is not a day of the calendar", "history", "--since", "2026-02-29")]
    [InlineData("--since: '2026-13-01' is not a day of the calendar", "history", "--since", "2026-13-01")]
    [InlineData("--until: 'tomorrowish' is not a time", "history", "--until", "tomorrowish")]
    [InlineData("--since: 'tomorrowish' is not a time", "history", "--since", "tomorrowish")]
    [InlineData("--name takes a name, not an empty one or only spaces", "write", "--name", "", "hi")]
    [InlineData("--name takes a name, not an empty one or only spaces", "write", "-n", "   ", "hi")]
    [InlineData("--address takes an IP address or IP:PORT, not '10.0.0.300'", "history", "--address", "10.0.0.300")]
    [InlineData("--address takes an IP address or IP:PORT, not '10.1'", "history", "-a", "10.1")]
    public async Task A_wrong_argument_is_exit_code_2_and_a_sentence_without_dotnet_type_names(string message, params string[] args)
    {
        var (code, output, error) = await Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("netjournal: " + message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_of_129_bytes_is_refused_before_sending_and_one_of_128_is_taken()
    {
        // Nothing listens on port 9: a name that passed would be sent and give exit code 1, not 2.
        var (code, _, error) = await Run("write", "-s", "127.0.0.1:9", "--timeout", "0.5", "-n", new string('x', 127) + "é", "hi");
        Assert.Equal(2, code);
        Assert.Contains("--name takes a name of at most 128 bytes of UTF-8 (129 given)", error);

        (code, _, error) = await Run("write", "-s", "127.0.0.1:9", "--timeout", "0.5", "-n", new string('x', 126) + "é", "hi");
        Assert.Equal(1, code);
        Assert.DoesNotContain("--name", error);
    }

    [Fact]
    public void Help_lists_formats_in_lowercase_and_clients_only_what_it_takes()
    {
        var root = CliApp.Build(Context(new StringWriter(), new StringWriter()));
        string Help(string command)
        {
            var output = new StringWriter();
            root.Parse([command, "--help"], CliApp.ParserConfiguration).Invoke(new InvocationConfiguration { Output = output });
            return output.ToString();
        }

        var clients = Help("clients");
        Assert.Contains("--format <text|json>", clients);
        Assert.DoesNotContain("csv", clients, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Md", clients, StringComparison.Ordinal);
        Assert.DoesNotContain("Text", clients, StringComparison.Ordinal);
        Assert.Contains("--format <text|json|csv|md>", Help("history"));
        var serve = Help("serve");
        Assert.DoesNotContain("--server", serve);
        Assert.DoesNotContain("--max-rate", serve);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]:5000", "127.0.0.1:5000")]
    [InlineData("10.0.0.3", "10.0.0.3")]
    [InlineData("10.0.0.3:80", "10.0.0.3:80")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]:9527", "[::1]:9527")]
    public void An_address_filter_is_written_as_the_server_writes_addresses(string given, string sent) =>
        Assert.Equal(sent, History("--address", given).Filter.Address);

    [Fact]
    public void Times_are_read_in_the_zone_and_a_date_until_is_the_end_of_that_day()
    {
        var query = History("--since", "2026-11-30Z", "--until", "2026-11-30Z");
        Assert.Equal(Instant.FromUtc(2026, 11, 30, 0, 0).ToUnixTimeMilliseconds(), query.Filter.SinceMs);
        Assert.Equal(Instant.FromUtc(2026, 12, 1, 0, 0).ToUnixTimeMilliseconds(), query.Filter.UntilMs);
        Assert.Equal(Instant.FromUtc(2026, 11, 30, 11, 0).ToUnixTimeMilliseconds(), History("--since", "-1h").Filter.SinceMs);
    }

    [Fact]
    public void Last_0_asks_for_no_note_and_all_or_nothing_for_every_one()
    {
        Assert.Equal(0UL, History("--last", "0").Last);
        Assert.Null(History("--all").Last);
        Assert.Null(History().Last);
        Assert.Equal(3UL, History("--last", "3", "--all", "false").Last);
    }

    [Theory]
    [InlineData("write", "-n", "@team", "@team", "standup")]
    [InlineData("history", "--grep", "@team")]
    [InlineData("history", "--client", "@team")]
    public void An_at_word_is_a_word_and_never_a_file(params string[] args)
    {
        // A file with the word's name in the current folder: with response files on, its contents would replace the word.
        var name = "team-" + Guid.NewGuid().ToString("n");
        File.WriteAllText(name, "--bogus secret contents");
        try
        {
            var line = args.Select(a => a.Replace("@team", "@" + name, StringComparison.Ordinal)).ToArray();
            var parse = CliApp.Build(Context(new StringWriter(), new StringWriter())).Parse(line, CliApp.ParserConfiguration);
            Assert.Empty(parse.Errors);
            Assert.Contains(parse.Tokens, t => t.Value == "@" + name);
            Assert.DoesNotContain(parse.Tokens, t => t.Value.Contains("secret", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(name);
        }
    }
}
