using System.Buffers;
using System.Text;
using CsCheck;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Tests.Storage;

public class WireNoteWriterTests
{
    private static byte[] Line(JournalRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JournalLine.Write(record, buffer);
        return buffer.WrittenSpan[..^1].ToArray();
    }

    /// <summary>The note as the record path sends it: parsed, made a Note, encoded in a page (less the page's own fields).</summary>
    private static byte[]? ByRecord(byte[] line) =>
        JournalLine.TryParse(line) is { } record ? MessageCodec.Encode(new HistoryPage(0, 0, false, [record.ToNote()]))[MessageCodec.PageOverhead..] : null;

    private static byte[]? Direct(byte[] line)
    {
        var destination = new byte[WireNoteWriter.MaxSize(line.Length)];
        return WireNoteWriter.TryWrite(line, destination, out var written) ? destination[..written] : null;
    }

    [Fact]
    public void A_line_becomes_the_note_the_record_path_would_send()
    {
        JournalLineTests.AnyRecord.Sample(record =>
        {
            var line = Line(record);
            var expected = ByRecord(line);
            Assert.NotNull(expected);
            Assert.Equal(expected, Direct(line));
        }, iter: 5000);
    }

    /// <summary>Lines from other writers or damaged on disk: each edit is one a hand or a bad disk could make.</summary>
    private static readonly string[][] Edits =
    [
        ["\"seq\":", "\"seq\":-"], ["\"seq\":", "\"seq\":\"1\",\"x\":"], ["\"seq\":", "\"seq\":1.5,\"x\":"], ["\"seq\":", "\"seq\":0,\"x\":"],
        ["\"time\":\"", "\"time\":\"x"], ["\"time\":", "\"time\":null,\"x\":"], ["\"time\":", "\"time\":\"2026-11-25 13:21:11Z\",\"x\":"],
        ["\"time\":", "\"time\":\"2026-02-30T00:00:00.000Z\",\"x\":"], ["\"time\":", "\"time\":\"2026-11-25T23:59:60.000Z\",\"x\":"],
        ["\"time\":", "\"time\":\"\\u0032026-11-25T13:21:11.123Z\",\"x\":"], ["\"time\":", "\"time\":\"2026-11-25T13:21:11+08:00\",\"x\":"],
        ["\"client\":", "\"client\":null,\"x\":"], ["\"client\":", "\"client\":5,\"x\":"], [",\"client\":", ",\"client\":\"first\",\"client\":"],
        ["\"address\":\"", "\"address\":\"\\u00e9\\ud83d\\ude42"], ["\"text\":\"", "\"text\":\"\\ud800"], ["\"text\":\"", "\"text\":\"\\u0041\\t"],
        ["\"text\":", "\"txt\":"], ["\"origin\":\"syslog\"", "\"origin\":\"sys\\u006cog\""], ["\"origin\":", "\"origin\":null,\"x\":"],
        ["\"origin\":", "\"origin\":1,\"x\":"], ["\"facility\":", "\"facility\":99,\"x\":"], ["\"facility\":", "\"facility\":\"1\",\"x\":"],
        ["\"severity\":", "\"severity\":-1,\"x\":"], ["\"instance\":\"", "\"instance\":\"zz"], ["\"instance\":\"", "\"instance\":\"  "],
        ["\"instance\":\"", "\"instance\":\"\\u0030"], ["\"instance\":", "\"instance\":7,\"x\":"], ["\"instance\":\"", "\"instance\":\"1234567890abcdef1"],
        ["\"num\":", "\"num\":-"], ["\"num\":", "\"num\":0"], ["\"seq\":", "\"seq\":0"], ["\"seq\":", "\"seq\":1e"], ["\"seq\":", "\"seq\":99999999999"],
        ["\"facility\":", "\"facility\":0"], ["\"severity\":", "\"severity\":1."], ["\"text\":\"", "\"text\":\"\u0001"], ["}", " }"], ["{", " {"],
        ["\",\"client\":", "\" ,\"client\":"], ["\"origin\":\"", "\"origin\":\"x"], ["{", "{\"extra\":{\"a\":[1,2,{}]},"], ["{", "[{"], ["}", "},"], ["}", "} "], ["}", "}x"], [":", "::"], ["\"", "'"],
    ];

    [Fact]
    public void A_damaged_or_foreign_line_is_refused_or_read_exactly_as_the_record_path_does()
    {
        Gen.Select(JournalLineTests.AnyRecord, Gen.Int[0, Edits.Length - 1], Gen.Int[0, 400], Gen.Byte, Gen.Bool).Sample((record, edit, at, value, byByte) =>
        {
            var line = Line(record);
            if (byByte)
            {
                line[at % line.Length] = value;
            }
            else
            {
                var text = Encoding.UTF8.GetString(line);
                var (from, to) = (Edits[edit][0], Edits[edit][1]);
                var i = text.IndexOf(from, StringComparison.Ordinal);
                if (i >= 0) text = text[..i] + to + text[(i + from.Length)..];
                line = Encoding.UTF8.GetBytes(text);
            }
            Assert.Equal(ByRecord(line), Direct(line));
        }, iter: 20_000);
    }

    [Fact]
    public void A_note_that_does_not_fit_is_refused()
    {
        var line = Line(new JournalRecord(1, 1_800_000_000_000, "c", "127.0.0.1:1", "日志 note"));
        var destination = new byte[10];
        Assert.False(WireNoteWriter.TryWrite(line, destination, out _));
    }
}
