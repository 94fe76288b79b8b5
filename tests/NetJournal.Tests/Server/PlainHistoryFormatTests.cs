using System.Text;
using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.Tests.Server;

public class PlainHistoryFormatTests
{
    private static List<byte[]> Pack(IEnumerable<Note> notes)
    {
        var datagrams = new List<byte[]>();
        PlainHistoryFormat.Pack(notes, d => datagrams.Add(d.ToArray()));
        return datagrams;
    }

    [Fact]
    public void Line_is_utc_time_name_and_text()
    {
        var note = new Note(1, DateTimeOffset.Parse("2026-11-25T13:10:05.999Z").ToUnixTimeMilliseconds(), "张三", "1.2.3.4:5", "你好");
        Assert.Equal("2026-11-25 13:10:05:张三:你好\n", PlainHistoryFormat.Line(note));
    }

    [Fact]
    public void Lines_are_packed_whole_into_datagrams_of_at_most_1024_bytes()
    {
        var notes = Enumerable.Range(1, 100).Select(i => new Note((ulong)i, 0, "a", "", new string('x', 50 + i))).ToList();
        var datagrams = Pack(notes);
        Assert.All(datagrams, d => Assert.InRange(d.Length, 1, 1024));
        Assert.All(datagrams, d => Assert.Equal((byte)'\n', d[^1]));
        Assert.Equal(string.Concat(notes.Select(PlainHistoryFormat.Line)), string.Concat(datagrams.Select(d => Encoding.UTF8.GetString(d))));
    }

    [Fact]
    public void Line_longer_than_a_datagram_is_cut_between_characters()
    {
        var notes = new[] { new Note(1, 0, "a", "", "short"), new Note(2, 0, "b", "", string.Concat(Enumerable.Repeat("中🙂", 600))) };
        var datagrams = Pack(notes);
        Assert.True(datagrams.Count > 2);
        Assert.All(datagrams, d => Assert.InRange(d.Length, 1, 1024));
        // Each piece decodes on its own: no UTF-8 sequence is split between datagrams.
        Assert.All(datagrams, d => Assert.True(Utf8Text.IsValid(d)));
        Assert.Equal(string.Concat(notes.Select(PlainHistoryFormat.Line)), string.Concat(datagrams.Select(d => Encoding.UTF8.GetString(d))));
    }

    [Fact]
    public void Control_characters_in_the_name_and_text_are_escaped_so_a_note_cannot_recolour_the_terminal()
    {
        var note = new Note(1, 0, "ana\u001b]0;pwned\u0007", "", "\u001b[31mred\u001b[0m and \u202egnp.exe\nsecond line\r\tend");
        Assert.Equal("1970-01-01 00:00:00:ana\\x1b]0;pwned\\x07:\\x1b[31mred\\x1b[0m and \\u202egnp.exe\\nsecond line\\r\\tend\n",
            PlainHistoryFormat.Line(note));
    }

    [Fact]
    public void No_notes_send_nothing() => Assert.Empty(Pack([]));
}
