using System.Buffers;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Tests.Storage;

/// <summary>Journal lines pinned byte for byte, and the wire note each one becomes (the same bytes NoteWireFormatTests pin).</summary>
public sealed class JournalLineGoldenTests
{
    public static TheoryData<JournalRecord, string, string> Golden() => new()
    {
        {
            new JournalRecord(300, 1_764_076_871_123, "pc", "10.0.0.1:5000", "今天", Instance: 0xFF, Number: 12),
            """{"seq":300,"time":"2025-11-25T13:21:11.123Z","client":"pc","address":"10.0.0.1:5000","text":"今天","instance":"00000000000000ff","num":12}""",
            "AC02A6F7E6B2D7660270630D31302E302E302E313A3530303006E4BB8AE5A4A900"
        },
        {
            new JournalRecord(7, -1, "路由器", "10.0.0.1:514", "链路 up", NoteOrigin.Syslog, 13),
            """{"seq":7,"time":"1969-12-31T23:59:59.999Z","client":"路由器","address":"10.0.0.1:514","text":"链路 up","origin":"syslog","facility":1,"severity":5}""",
            "070109E8B7AFE794B1E599A80C31302E302E302E313A35313409E993BEE8B7AF207570820D"
        },
        {
            new JournalRecord(2, 1, "10.0.0.2", "10.0.0.2:514", "say \"hi\" c:\\ \u001b 🙂", NoteOrigin.PlainText),
            """{"seq":2,"time":"1970-01-01T00:00:00.001Z","client":"10.0.0.2","address":"10.0.0.2:514","text":"say \"hi\" c:\\ \u001B 🙂","origin":"plain"}""",
            "02020831302E302E302E320C31302E302E302E323A35313413736179202268692220633A5C201B20F09F998201"
        },
        {
            new JournalRecord(9, 1000, "ann", "127.0.0.1:8080", "from the page 🙂", NoteOrigin.Web),
            """{"seq":9,"time":"1970-01-01T00:00:01.000Z","client":"ann","address":"127.0.0.1:8080","text":"from the page 🙂","origin":"web"}""",
            "09D00F03616E6E0E3132372E302E302E313A383038301266726F6D20746865207061676520F09F998203"
        },
        {
            new JournalRecord(10, 1000, "bot", "server", "3 notes today (#1, #2, #9)", NoteOrigin.Bot),
            """{"seq":10,"time":"1970-01-01T00:00:01.000Z","client":"bot","address":"server","text":"3 notes today (#1, #2, #9)","origin":"bot"}""",
            "0AD00F03626F74067365727665721A33206E6F74657320746F646179202823312C2023322C2023392904"
        },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void A_record_is_written_as_the_golden_line(JournalRecord record, string line, string wireHex)
    {
        _ = wireHex;
        var buffer = new ArrayBufferWriter<byte>();

        JournalLine.Write(record, buffer);

        Assert.Equal(line + "\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void A_line_from_a_tail_is_the_golden_line(JournalRecord record, string line, string wireHex)
    {
        _ = wireHex;
        foreach (var utf8 in (bool[])[false, true])
        {
            var notes = new PendingNotes();
            var note = new PendingNote(record.Client, record.Address, record.Text, record.Origin, record.Priority, record.Instance, record.Number);
            if (utf8) notes.Add(note, Encoding.UTF8.GetBytes(record.Text));
            else notes.Add(note);
            var buffer = new ArrayBufferWriter<byte>();

            JournalLine.WriteWithTail(record.Seq, record.TimeMs, notes[0].Tail.Span, buffer);

            Assert.Equal(line + "\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void The_golden_line_parses_to_the_record(JournalRecord record, string line, string wireHex)
    {
        _ = wireHex;
        Assert.Equal(record, JournalLine.TryParse(Encoding.UTF8.GetBytes(line)));
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void The_golden_line_becomes_the_golden_wire_note(JournalRecord record, string line, string wireHex)
    {
        _ = record;
        var bytes = Encoding.UTF8.GetBytes(line);
        var destination = new byte[WireNoteWriter.MaxSize(bytes.Length)];

        Assert.True(WireNoteWriter.TryWrite(bytes, destination, out var written));
        Assert.Equal(wireHex, Convert.ToHexString(destination, 0, written));
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void The_golden_line_in_another_shape_becomes_the_same_wire_note(JournalRecord record, string line, string wireHex)
    {
        _ = record;
        // Escaped where it need not be and with the members reordered: read by the JSON reader, not the fast path.
        var foreign = "{\"text\":" + line[(line.IndexOf(",\"text\":", StringComparison.Ordinal) + 8)..].Replace("p", "\\u0070", StringComparison.Ordinal)
            .TrimEnd('}') + "," + line[1..line.IndexOf(",\"text\":", StringComparison.Ordinal)] + "}";
        var bytes = Encoding.UTF8.GetBytes(foreign);
        var destination = new byte[WireNoteWriter.MaxSize(bytes.Length)];

        Assert.True(WireNoteWriter.TryWrite(bytes, destination, out var written), foreign);
        Assert.Equal(wireHex, Convert.ToHexString(destination, 0, written));
    }
}
