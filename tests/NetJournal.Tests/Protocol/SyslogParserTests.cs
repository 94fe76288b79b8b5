using System.Text;
using NetJournal.Protocol.Syslog;

namespace NetJournal.Tests.Protocol;

public class SyslogParserTests
{
    private static SyslogMessage Parse(string datagram) => Parse(Encoding.UTF8.GetBytes(datagram));

    private static SyslogMessage Parse(byte[] datagram)
    {
        Assert.True(SyslogParser.TryParse(datagram, out var message), "expected a syslog message");
        return message;
    }

    private static bool Refused(string datagram) => !SyslogParser.TryParse(Encoding.UTF8.GetBytes(datagram), out _);

    [Fact]
    public void Logger_rfc5424_default_is_parsed()
    {
        var m = Parse("<13>1 2026-11-25T13:10:05.172398+00:00 vm root - - [timeQuality tzKnown=\"1\" isSynced=\"0\"] hello");
        Assert.Equal(SyslogFormat.Rfc5424, m.Format);
        Assert.Equal(1, m.Facility);
        Assert.Equal(5, m.Severity);
        Assert.Equal(13, m.Priority);
        Assert.Equal("2026-11-25T13:10:05.172398+00:00", m.Timestamp);
        Assert.Equal("vm", m.Hostname);
        Assert.Equal("root", m.AppName);
        Assert.Null(m.ProcId);
        Assert.Null(m.MsgId);
        Assert.Equal("[timeQuality tzKnown=\"1\" isSynced=\"0\"]", m.StructuredData);
        Assert.Equal("hello", m.Message);
    }

    [Fact]
    public void Rfc5424_nil_fields_and_bom_and_crlf()
    {
        var bytes = Encoding.UTF8.GetBytes("<165>1 - - - - - - ").Concat(new byte[] { 0xEF, 0xBB, 0xBF }).Concat(Encoding.UTF8.GetBytes("你好 🙂\r\n")).ToArray();
        var m = Parse(bytes);
        Assert.Equal(20, m.Facility);
        Assert.Equal(5, m.Severity);
        Assert.Null(m.Timestamp);
        Assert.Null(m.Hostname);
        Assert.Null(m.AppName);
        Assert.Null(m.StructuredData);
        Assert.Equal("你好 🙂", m.Message);
    }

    [Fact]
    public void Rfc5424_structured_data_with_escapes_and_several_elements()
    {
        var m = Parse("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su 4711 ID47 [a x=\"1\\]2\" y=\"q\\\"]\"][b@32473 z=\"]\"] 'su root' failed");
        Assert.Equal("mymachine.example.com", m.Hostname);
        Assert.Equal("su", m.AppName);
        Assert.Equal("4711", m.ProcId);
        Assert.Equal("ID47", m.MsgId);
        Assert.Equal("[a x=\"1\\]2\" y=\"q\\\"]\"][b@32473 z=\"]\"]", m.StructuredData);
        Assert.Equal("'su root' failed", m.Message);
    }

    [Fact]
    public void Rfc5424_without_msg_has_empty_message()
    {
        Assert.Equal("", Parse("<14>1 - host app - - -").Message);
        Assert.Equal("", Parse("<14>1 - host app - - [x]").Message);
    }

    [Fact]
    public void Logger_rfc3164_is_parsed()
    {
        var m = Parse("<13>Nov 25 13:10:05 vm root: hello");
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Equal(1, m.Facility);
        Assert.Equal(5, m.Severity);
        Assert.Equal("Nov 25 13:10:05", m.Timestamp);
        Assert.Equal("vm", m.Hostname);
        Assert.Equal("root", m.AppName);
        Assert.Equal("hello", m.Message);
    }

    [Fact]
    public void Rfc3164_with_pid_padded_day_and_trailing_newline()
    {
        var m = Parse("<86>Nov  5 03:04:05 web-1 sshd[4242]: Accepted key for 张三\n");
        Assert.Equal(10, m.Facility);
        Assert.Equal(6, m.Severity);
        Assert.Equal("web-1", m.Hostname);
        Assert.Equal("sshd", m.AppName);
        Assert.Equal("4242", m.ProcId);
        Assert.Equal("Accepted key for 张三", m.Message);
    }

    [Fact]
    public void Rfc3164_without_hostname_or_tag()
    {
        var noHost = Parse("<13>Nov 25 13:10:05 myapp[7]: text");
        Assert.Null(noHost.Hostname);
        Assert.Equal("myapp", noHost.AppName);
        Assert.Equal("text", noHost.Message);

        var noTag = Parse("<13>Nov 25 13:10:05 vm just some words");
        Assert.Equal("vm", noTag.Hostname);
        Assert.Null(noTag.AppName);
        Assert.Equal("just some words", noTag.Message);
    }

    [Theory]
    [InlineData("<0>1 - - - - - - m", 0, 0)]
    [InlineData("<191>1 - - - - - - m", 23, 7)]
    [InlineData("<7>Jan  1 00:00:00 h t: m", 0, 7)]
    public void Priority_bounds(string datagram, int facility, int severity)
    {
        var m = Parse(datagram);
        Assert.Equal(facility, m.Facility);
        Assert.Equal(severity, m.Severity);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("<")]
    [InlineData("<>1 - - - - - - m")]
    [InlineData("<192>1 - - - - - - m")]
    [InlineData("<1000>1 - - - - - - m")]
    [InlineData("<013>1 - - - - - - m")]
    [InlineData("<1a>1 - - - - - - m")]
    [InlineData("<13 1 - - - - - - m")]
    [InlineData("<13>")]
    [InlineData("<13>hello there")]
    [InlineData("<13>Foo 25 13:10:05 vm root: hello")]
    [InlineData("<13>Nov 25 13-10-05 vm root: hello")]
    [InlineData("<13>1 - - - - -")]
    [InlineData("<13>1 - host app - - [unclosed x=\"1\"")]
    [InlineData("<13>1 - host app - - [a x=\"1\\]\" m")]
    [InlineData("<13>1 - host app - - [a]m")]
    [InlineData("<13>1 - host app - - junk m")]
    [InlineData("<13>1  host app - - - m")]
    [InlineData("<13>1 - h\u00e9 app - - - m")]
    public void Malformed_datagrams_are_refused(string datagram) => Assert.True(Refused(datagram));

    [Fact]
    public void Over_long_app_name_is_refused() =>
        Assert.True(Refused($"<13>1 - host {new string('a', 49)} - - - m"));

    [Fact]
    public void Invalid_utf8_msg_is_refused_so_the_caller_keeps_it_as_plain_text()
    {
        var bytes = Encoding.ASCII.GetBytes("<13>1 - host app - - - ").Concat(new byte[] { 0xC4, 0xE3, 0xBA, 0xC3 }).ToArray();
        Assert.False(SyslogParser.TryParse(bytes, out _));
    }
}
