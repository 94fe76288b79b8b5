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
    public void Datagrams_without_a_valid_pri_are_refused(string datagram) => Assert.True(Refused(datagram));

    // RFC 3164 §4.3.2: after a valid PRI, a message without a valid TIMESTAMP is kept; the PRI stays, the rest is MSG.
    // An RFC 5424 header that does not parse is read the same way (rsyslog hands it on to its RFC 3164 parser).
    [Theory]
    [InlineData("<13>hello there", "hello there")]
    [InlineData("<13>Foo 25 13:10:05 vm root: hello", "Foo 25 13:10:05 vm root: hello")]
    [InlineData("<13>Nov 25 13-10-05 vm root: hello", "Nov 25 13-10-05 vm root: hello")]
    [InlineData("<13>Nov 32 03:06:34 vm root: hello", "Nov 32 03:06:34 vm root: hello")]
    [InlineData("<13>Nov 30 24:06:34 vm root: hello", "Nov 30 24:06:34 vm root: hello")]
    [InlineData("<13>Nov 30 03:06:34vm root: hello", "Nov 30 03:06:34vm root: hello")]
    [InlineData("<13>2026-11-30 03:06:34 vm root: hello", "2026-11-30 03:06:34 vm root: hello")]
    [InlineData("<13>1 - - - - -", "1 - - - - -")]
    [InlineData("<13>1 - host app - - [unclosed x=\"1\"", "1 - host app - - [unclosed x=\"1\"")]
    [InlineData("<13>1 - host app - - [a x=\"1\\]\" m", "1 - host app - - [a x=\"1\\]\" m")]
    [InlineData("<13>1 - host app - - [a]m", "1 - host app - - [a]m")]
    [InlineData("<13>1 - host app - - junk m", "1 - host app - - junk m")]
    [InlineData("<13>1  host app - - - m", "1  host app - - - m")]
    [InlineData("<13>1 - h\u00e9 app - - - m", "1 - h\u00e9 app - - - m")]
    [InlineData("<13>", "")]
    public void Without_a_valid_header_the_pri_is_kept_and_the_rest_is_the_message(string datagram, string text)
    {
        var m = Parse(datagram);
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Equal(13, m.Priority);
        Assert.Null(m.Timestamp);
        Assert.Null(m.Hostname);
        Assert.Null(m.AppName);
        Assert.Equal(text, m.Message);
    }

    [Fact]
    public void Over_long_app_name_is_not_read_as_rfc5424()
    {
        var datagram = $"<13>1 - host {new string('a', 49)} - - - m";
        var m = Parse(datagram);
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Null(m.AppName);
        Assert.Equal(datagram[4..], m.Message);
    }

    [Fact]
    public void Python_sysloghandler_default_has_a_tag_but_no_timestamp_or_hostname()
    {
        // logging.handlers.SysLogHandler: "<PRI>" + the formatted record + a NUL; the default formatter gives "name: message".
        var m = Parse("<12>pyapp: hello\0");
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Equal(12, m.Priority);
        Assert.Equal(1, m.Facility);
        Assert.Equal(4, m.Severity);
        Assert.Null(m.Timestamp);
        Assert.Null(m.Hostname);
        Assert.Equal("pyapp", m.AppName);
        Assert.Equal("hello", m.Message);
    }

    [Fact]
    public void Pri_without_timestamp_keeps_a_tag_with_pid()
    {
        var m = Parse("<30>myapp[42]: started 🙂");
        Assert.Null(m.Hostname);
        Assert.Equal("myapp", m.AppName);
        Assert.Equal("42", m.ProcId);
        Assert.Equal("started 🙂", m.Message);
    }

    [Theory]
    [InlineData("<13>Nov 30 03:06:34.123 vm app: m", "Nov 30 03:06:34.123")]
    [InlineData("<13>Nov 30 2026 03:06:34 vm app: m", "Nov 30 2026 03:06:34")]
    [InlineData("<13>2026 Nov 30 03:06:34 vm app: m", "2026 Nov 30 03:06:34")]
    [InlineData("<13>Nov 3 03:06:34 vm app: m", "Nov 3 03:06:34")]
    [InlineData("<13>Nov  3 03:06:34 vm app: m", "Nov  3 03:06:34")]
    [InlineData("<13>Nov 03 03:06:34 vm app: m", "Nov 03 03:06:34")]
    [InlineData("<13>NOV 30 03:06:34 vm app: m", "NOV 30 03:06:34")]
    [InlineData("<13>Feb 29 23:59:60 vm app: m", "Feb 29 23:59:60")]
    [InlineData("<13>2026-11-30T03:06:34+00:00 vm app: m", "2026-11-30T03:06:34+00:00")]
    [InlineData("<13>2026-11-30T03:06:34.123456-05:30 vm app: m", "2026-11-30T03:06:34.123456-05:30")]
    [InlineData("<13>2026-11-30T03:06:34Z vm app: m", "2026-11-30T03:06:34Z")]
    public void Bsd_timestamps_as_rsyslog_accepts_them(string datagram, string timestamp)
    {
        var m = Parse(datagram);
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Equal(timestamp, m.Timestamp);
        Assert.Equal("vm", m.Hostname);
        Assert.Equal("app", m.AppName);
        Assert.Equal("m", m.Message);
    }

    [Fact]
    public void Rsyslog_forward_format_is_parsed()
    {
        // RSYSLOG_ForwardFormat: "<%PRI%>%TIMESTAMP:::date-rfc3339% %HOSTNAME% %syslogtag:1:32%%msg:::sp-if-no-1st-sp%%msg%".
        var m = Parse("<13>2026-11-30T03:06:34+00:00 vm backup: nightly backup done");
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Equal(13, m.Priority);
        Assert.Equal(1, m.Facility);
        Assert.Equal(5, m.Severity);
        Assert.Equal("2026-11-30T03:06:34+00:00", m.Timestamp);
        Assert.Equal("vm", m.Hostname);
        Assert.Equal("backup", m.AppName);
        Assert.Equal("nightly backup done", m.Message);
    }

    [Theory]
    [InlineData("<189>52: Nov 30 03:06:34.123: %SYS-5-CONFIG_I: Configured from console")]
    [InlineData("<189>52: *Nov 30 03:06:34.123: %SYS-5-CONFIG_I: Configured from console")]
    [InlineData("<189>52: .Nov 30 03:06:34.123: %SYS-5-CONFIG_I: Configured from console")]
    [InlineData("<189>52: %SYS-5-CONFIG_I: Configured from console")]
    public void Cisco_sequence_number_and_clock_mark_are_skipped(string datagram)
    {
        var m = Parse(datagram);
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Equal(23, m.Facility);
        Assert.Equal(5, m.Severity);
        Assert.Equal(datagram.Contains("Nov", StringComparison.Ordinal) ? "Nov 30 03:06:34.123" : null, m.Timestamp);
        Assert.Null(m.Hostname);
        Assert.Equal("%SYS-5-CONFIG_I", m.AppName);
        Assert.Equal("Configured from console", m.Message);
    }

    [Theory]
    [InlineData("<13>Nov 25 13:10:05 vm app: text\r\n\0")]
    [InlineData("<13>Nov 25 13:10:05 vm app: text\0")]
    [InlineData("<13>Nov 25 13:10:05 vm app: text\n\n")]
    [InlineData("<13>1 - vm app - - - text\0\n")]
    [InlineData("<13>app: text\0\0")]
    public void Trailing_nul_and_line_breaks_are_trimmed(string datagram)
    {
        var m = Parse(datagram);
        Assert.Equal("app", m.AppName);
        Assert.Equal("text", m.Message);
    }

    [Fact]
    public void Rfc5424_msg_that_is_not_utf8_is_still_syslog_and_decoded_as_gb18030()
    {
        var bytes = Encoding.ASCII.GetBytes("<13>1 - host app - - - ").Concat(new byte[] { 0xC4, 0xE3, 0xBA, 0xC3 }).ToArray();
        var m = Parse(bytes);
        Assert.Equal(SyslogFormat.Rfc5424, m.Format);
        Assert.Equal("app", m.AppName);
        Assert.Equal("你好", m.Message);
    }

    [Fact]
    public void Bsd_msg_with_one_bad_byte_keeps_its_utf8_and_replaces_the_byte()
    {
        var bytes = Encoding.UTF8.GetBytes("<13>Nov 25 13:10:05 vm app: 你好 caf").Append((byte)0xE9).ToArray();
        var m = Parse(bytes);
        Assert.Equal("vm", m.Hostname);
        Assert.Equal("app", m.AppName);
        Assert.Equal("你好 caf\uFFFD", m.Message);
    }
}
