using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using NetJournal.Cli;

namespace NetJournal.IntegrationTests;

/// <summary>`history --format csv|md`: every field of every note, checked against the JSON output of the same journal.</summary>
public sealed class ExportTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly string[] Fields = ["seq", "time", "client", "address", "text", "origin", "facility", "severity"];

    private static async Task<(int Code, string Out, string Error)> Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error, In = new StringReader(input), Zone = Shanghai, Environment = _ => null };
        var code = await CliApp.RunAsync(args, context);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A native note with commas and quotes in name and text, Markdown-special text, a syslog note and a plain note.</summary>
    private static async Task<TestServer> StartWithNotesAsync()
    {
        var server = TestServer.Start();
        var (code, _, error) = await Run("你好，世界, \"引号\"\n*bold* _it_ [link](http://x) <b>&amp; `code` ~x~ a|b \\ end\nbell\u0007 and \u202e bidi\n",
            "write", "-s", server.Address, "-n", "张三, \"the boss\"");
        Assert.True(code == 0, error);
        using var raw = new RawUdp(server.EndPoint);
        raw.Send("<155>1 - myhost app - - - 日志, \"quoted\", comma"u8);
        raw.Send("plain, from nc"u8);
        for (var i = 0; i < 200 && server.Server.Store.NoteCount < 5; i++) await Task.Delay(25);
        Assert.Equal(5, server.Server.Store.NoteCount);
        return server;
    }

    private static List<Dictionary<string, string>> JsonRows(string json) =>
        [.. json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var root = JsonDocument.Parse(line).RootElement;
            return Fields.ToDictionary(f => f, f => root.TryGetProperty(f, out var v)
                ? v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString()!
                : "");
        })];

    [Fact]
    public async Task Csv_has_a_header_and_every_field_of_every_note_as_json_has_it()
    {
        await using var server = await StartWithNotesAsync();
        var (code, csv, _) = await Run("", "history", "-s", server.Address, "--format", "csv");
        Assert.Equal(0, code);
        var (_, json, _) = await Run("", "history", "-s", server.Address, "--format", "json");
        Assert.StartsWith("seq,time,client,address,text,origin,facility,severity\r\n", csv);
        Assert.EndsWith("\r\n", csv);

        using var reader = CsvReader.Create(Encoding.UTF8.GetBytes(csv), CsvReaderOptions.Default);
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            Assert.Equal(Fields.Length, reader.FieldCount);
            rows.Add(Fields.ToDictionary(f => f, reader.GetString));
        }
        Assert.Equal(Fields, reader.Headers);
        var expected = JsonRows(json);
        Assert.Equal(5, expected.Count);
        Assert.Equal(expected, rows);

        // Spot checks that the comparison covered what matters: exact text with commas, quotes and control characters.
        Assert.Equal("张三, \"the boss\"", rows[0]["client"]);
        Assert.Equal("你好，世界, \"引号\"", rows[0]["text"]);
        Assert.Equal("bell\u0007 and \u202e bidi", rows[2]["text"]);
        Assert.Equal(("syslog", "19", "3"), (rows[3]["origin"], rows[3]["facility"], rows[3]["severity"]));
        Assert.Equal(("plain", "", ""), (rows[4]["origin"], rows[4]["facility"], rows[4]["severity"]));
        Assert.Equal("", rows[0]["origin"]);
    }

    [Fact]
    public async Task Markdown_is_a_list_under_day_headings_with_special_and_control_characters_escaped()
    {
        await using var server = await StartWithNotesAsync();
        var (code, md, _) = await Run("", "history", "-s", server.Address, "--format", "md");
        Assert.Equal(0, code);
        var (_, json, _) = await Run("", "history", "-s", server.Address, "--format", "json");
        var notes = JsonRows(json);
        var lines = md.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(notes[0]["time"], CultureInfo.InvariantCulture), Shanghai);
        Assert.Equal($"## {local:yyyy-MM-dd}", lines[0]);
        var items = lines.Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var time = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(notes[i]["time"], CultureInfo.InvariantCulture), Shanghai);
            Assert.StartsWith($"- {time:HH:mm:ss} **", items[i]);
            Assert.Contains($", #{notes[i]["seq"]}", items[i]);
        }
        var address = notes[0]["address"];
        Assert.Equal($"- {local:HH:mm:ss} **张三, \"the boss\"** ({address}, #1) 你好，世界, \"引号\"", items[0]);
        Assert.EndsWith(@"#2) \*bold\* \_it\_ \[link\](http://x) \<b\>\&amp; \`code\` \~x\~ a\|b \\ end", items[1]);
        Assert.EndsWith(@"#3) bell\\x07 and \\u202e bidi", items[2]);
        Assert.DoesNotContain('\u0007', md);
        Assert.DoesNotContain('\u202e', md);
        Assert.Contains($"**myhost/app** ({notes[3]["address"]}, #4, syslog local3.err) 日志, \"quoted\", comma", items[3]);
        Assert.Contains($"**127.0.0.1** ({notes[4]["address"]}, #5, plain) plain, from nc", items[4]);
    }

    [Fact]
    public async Task Clients_refuses_the_history_only_formats()
    {
        await using var server = TestServer.Start();
        var (code, _, error) = await Run("", "clients", "-s", server.Address, "--format", "csv");
        Assert.NotEqual(0, code);
        Assert.Contains("text or json", error);
    }
}
