using System.Text;
using NetJournal.Protocol;
using NetJournal.Protocol.Syslog;

namespace NetJournal.Tests.Protocol;

public class Rfc5424WriterTests
{
    private static readonly long Time = DateTimeOffset.Parse("2026-11-25T13:37:32.210Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static SyslogMessage RoundTrip(Note note)
    {
        var datagram = Rfc5424Writer.Format(note);
        Assert.True(SyslogParser.TryParse(datagram, out var message), Encoding.UTF8.GetString(datagram));
        return message;
    }

    [Fact]
    public void Native_note_is_user_notice_with_seq_as_msgid_and_bom_before_the_text()
    {
        var datagram = Rfc5424Writer.Format(new Note(42, Time, "alice", "127.0.0.1:58070", "buy milk"));
        var expected = Encoding.UTF8.GetBytes("<13>1 2026-11-25T13:37:32.210Z 127.0.0.1 alice - 42 - ").Concat(new byte[] { 0xEF, 0xBB, 0xBF }).Concat("buy milk"u8.ToArray());
        Assert.Equal(expected, datagram);
    }

    [Fact]
    public void Syslog_note_keeps_its_facility_and_severity()
    {
        var m = RoundTrip(new Note(7, Time, "vm/myapp", "10.0.0.5:514", "disk full", NoteOrigin.Syslog, 19 * 8 + 3));
        Assert.Equal(19, m.Facility);
        Assert.Equal(3, m.Severity);
        Assert.Equal("vm/myapp", m.AppName);
        Assert.Null(m.StructuredData);
    }

    [Fact]
    public void Every_field_round_trips_through_the_parser()
    {
        var m = RoundTrip(new Note(123456789, Time, "bob@host", "[2001:db8::1]:40000", "你好，世界 🙂 \"quoted\" [x] \\ end", NoteOrigin.PlainText));
        Assert.Equal(SyslogFormat.Rfc5424, m.Format);
        Assert.Equal(Rfc5424Writer.DefaultPriority, m.Priority);
        Assert.Equal("2026-11-25T13:37:32.210Z", m.Timestamp);
        Assert.Equal("2001:db8::1", m.Hostname);
        Assert.Equal("bob@host", m.AppName);
        Assert.Null(m.ProcId);
        Assert.Equal("123456789", m.MsgId);
        Assert.Null(m.StructuredData);
        Assert.Equal("你好，世界 🙂 \"quoted\" [x] \\ end", m.Message);
    }

    [Theory]
    [InlineData("张三", "__")]
    [InlineData("alice smith", "alice_smith")]
    [InlineData("-", "_")]
    [InlineData("emoji🙂x", "emoji_x")]
    public void A_name_app_name_cannot_hold_is_sanitised_and_kept_whole_in_structured_data(string client, string appName)
    {
        var m = RoundTrip(new Note(1, Time, client, "127.0.0.1:1", "text"));
        Assert.Equal(appName, m.AppName);
        Assert.Equal($"[{Rfc5424Writer.StructuredDataId} client=\"{client}\"]", m.StructuredData);
        Assert.Equal("text", m.Message);
    }

    [Fact]
    public void A_long_name_is_cut_to_48_characters_and_sd_escapes_quote_backslash_and_bracket()
    {
        var client = new string('a', 60) + "\"\\]";
        var m = RoundTrip(new Note(1, Time, client, "127.0.0.1:1", "text"));
        Assert.Equal(new string('a', 48), m.AppName);
        Assert.Equal($"[{Rfc5424Writer.StructuredDataId} client=\"{new string('a', 60)}\\\"\\\\\\]\"]", m.StructuredData);
    }

    [Fact]
    public void Header_fields_are_printable_ascii_whatever_the_name()
    {
        var datagram = Rfc5424Writer.Format(new Note(1, Time, "名字 with\ttab", "127.0.0.1:1", "x"));
        var sd = Array.IndexOf(datagram, (byte)'[');
        Assert.All(datagram[..sd], b => Assert.InRange(b, (byte)32, (byte)126));
    }
}
