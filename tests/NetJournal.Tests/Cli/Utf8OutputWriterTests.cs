using System.Text;
using NetJournal.Cli.Output;
using NetJournal.Protocol;

namespace NetJournal.Tests.Cli;

public sealed class Utf8OutputWriterTests
{
    private static string Decode(MemoryStream stream) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(stream.ToArray());

    [Fact]
    public void Text_and_ready_made_utf8_come_out_in_the_order_they_were_written()
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8OutputWriter(stream, bufferBytes: 64))
        {
            writer.Write("第一 ");
            writer.WriteUtf8("🎉 second "u8);
            writer.Write('x');
            writer.WriteLine();
            writer.WriteUtf8(Encoding.UTF8.GetBytes(new string('长', 100)));
            writer.Write(" end");
        }
        Assert.Equal("第一 🎉 second x\n" + new string('长', 100) + " end", Decode(stream));
    }

    [Fact]
    public void A_surrogate_pair_split_across_two_writes_and_a_buffer_boundary_is_one_character()
    {
        var stream = new MemoryStream();
        var writer = new Utf8OutputWriter(stream, bufferBytes: 64);
        var text = string.Concat(Enumerable.Repeat("a🙂", 40));
        foreach (var c in text) writer.Write(c);
        writer.Flush();
        Assert.Equal(text, Decode(stream));
    }

    [Fact]
    public void Nothing_reaches_the_stream_before_the_buffer_fills_or_a_flush()
    {
        var stream = new MemoryStream();
        var writer = new Utf8OutputWriter(stream, bufferBytes: 1024);
        writer.Write("note");
        writer.WriteUtf8(" 笔记"u8);
        Assert.Equal(0, stream.Length);
        writer.Flush();
        Assert.Equal("note 笔记", Decode(stream));
    }

    [Fact]
    public void A_lone_high_surrogate_left_at_the_end_becomes_a_replacement_character_as_with_StreamWriter()
    {
        var ours = new MemoryStream();
        var writer = new Utf8OutputWriter(ours);
        writer.Write("end\uD83D");
        writer.Flush();

        var theirs = new MemoryStream();
        using (var reference = new StreamWriter(theirs, new UTF8Encoding(false), leaveOpen: true)) reference.Write("end\uD83D");
        Assert.Equal(theirs.ToArray(), ours.ToArray());
    }

    [Fact]
    public void Json_lines_written_as_utf8_are_the_same_bytes_as_through_any_other_writer()
    {
        var notes = new[]
        {
            new Note(1, 1_700_000_000_000, "王五", "127.0.0.1:5000", "第一条 🎉 \"quoted\" \\ back"),
            new Note(2, 1_700_000_000_001, "bob", "[::1]:5001", "plain ascii", NoteOrigin.Syslog, 13),
            new Note(3, 1_700_000_000_002, "eve", "10.0.0.1", "esc \u001b[31m red \u2028 line"),
        };
        var direct = new MemoryStream();
        using (var writer = new Utf8OutputWriter(direct, bufferBytes: 64))
        {
            var json = new NoteJsonWriter(writer);
            foreach (var note in notes) json.Write(note);
        }
        var text = new StringWriter { NewLine = "\n" };
        var viaChars = new NoteJsonWriter(text);
        foreach (var note in notes) viaChars.Write(note);

        Assert.Equal(text.ToString(), Decode(direct));
        Assert.Equal(3, Decode(direct).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
