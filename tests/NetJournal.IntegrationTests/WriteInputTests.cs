using System.Text;
using System.Text.Json;
using NetJournal.Cli;

namespace NetJournal.IntegrationTests;

/// <summary>`netjournal write` reading standard input: blank lines skipped but counted, bad UTF-8 said, line numbers true.</summary>
public sealed class WriteInputTests
{
    private static async Task<(int Code, string Error)> Write(string server, TextReader input)
    {
        var error = new StringWriter();
        var context = new CliContext { Out = new StringWriter(), Error = error, In = input, Environment = _ => null };
        var code = await CliApp.RunAsync(["write", "-s", server, "-n", "reader"], context, TestContext.Current.CancellationToken);
        return (code, error.ToString().ReplaceLineEndings("\n"));
    }

    private static async Task<List<string>> Texts(string server)
    {
        var output = new StringWriter();
        var context = new CliContext { Out = output, Error = new StringWriter(), In = new StringReader(""), Environment = _ => null };
        await CliApp.RunAsync(["history", "-s", server, "--format", "json"], context, TestContext.Current.CancellationToken);
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!)];
    }

    [Fact]
    public async Task Piped_bytes_skip_blank_lines_say_which_line_was_not_utf8_and_number_refusals_by_input_line()
    {
        await using var server = TestServer.Start();
        byte[] input =
        [
            .. "first\r\n\r\n  \t \n"u8, .. "caf"u8, 0xE9, .. " au lait\n"u8,
            .. Encoding.UTF8.GetBytes("\u3000\n"), .. Encoding.UTF8.GetBytes(new string('x', 4097) + "\n"), .. "last"u8,
        ];
        var (code, error) = await Write(server.Address, new StreamReader(new MemoryStream(input), new UTF8Encoding(false)));

        Assert.Equal(1, code);
        Assert.Contains("line 4: not valid UTF-8; stored with U+FFFD in place of the bad bytes\n", error);
        Assert.Contains("line 6: ", error);
        Assert.DoesNotContain("line 3:", error);
        Assert.Equal(["first", "caf\uFFFD au lait", "last"], await Texts(server.Address));
    }

    [Fact]
    public async Task Text_input_numbers_a_refused_note_by_its_line_with_blank_lines_counted()
    {
        await using var server = TestServer.Start();
        var (code, error) = await Write(server.Address, new StringReader($"one\n\n   \n{new string('y', 4097)}\ntwo\n"));

        Assert.Equal(1, code);
        Assert.Contains("line 4: ", error);
        Assert.Equal(["one", "two"], await Texts(server.Address));
    }
}
