using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;
using NetJournal.Cli.Output;
using NetJournal.Protocol;
using NetJournal.Storage;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Cli;

/// <summary>`history --format json` prints a note as its journal line has it, less the dedup pair.</summary>
public sealed class NoteJsonWriterTests
{
    private static string Cli(Note note)
    {
        var output = new StringWriter { NewLine = "\n" };
        new NoteJsonWriter(output).Write(note);
        return output.ToString();
    }

    private static string Line(JournalRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JournalLine.Write(record, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_note_is_printed_as_the_golden_line()
    {
        var note = new Note(7, -1, "路由器", "10.0.0.1:514", "链路 \"up\" \u001b 🙂", NoteOrigin.Syslog, 13);

        Assert.Equal(
            """{"seq":7,"time":"1969-12-31T23:59:59.999Z","client":"路由器","address":"10.0.0.1:514","text":"链路 \"up\" \u001B 🙂","origin":"syslog","facility":1,"severity":5}""" + "\n",
            Cli(note));
    }

    [Fact]
    public void A_note_is_printed_byte_for_byte_as_its_journal_line_without_the_dedup_pair()
    {
        JournalLineTests.AnyRecord.Sample(record =>
            Assert.Equal(Line(record with { Instance = 0 }), Cli(record.ToNote())), iter: 3000);
    }

    [Fact]
    public void Every_member_of_the_printed_note_is_the_journal_line_member_of_the_same_name()
    {
        JournalLineTests.AnyRecord.Sample(record =>
        {
            var printed = JsonDocument.Parse(Cli(record.ToNote())).RootElement.EnumerateObject().ToList();
            var line = JsonDocument.Parse(Line(record)).RootElement;
            var dedup = record.Instance == 0 ? 0 : 2;
            Assert.Equal(line.EnumerateObject().Count() - dedup, printed.Count);
            foreach (var member in printed) Assert.Equal(line.GetProperty(member.Name).GetRawText(), member.Value.GetRawText());
        }, iter: 1000);
    }
}
