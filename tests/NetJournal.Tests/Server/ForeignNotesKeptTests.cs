using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.Tests.Server;

/// <summary>
/// Plain-text and syslog senders cannot be told of a refusal, so what breaks the native note rules is kept:
/// line breaks stay, structured data stands in for a missing MSG, text and names over the limit are cut.
/// </summary>
public sealed class ForeignNotesKeptTests
{
    private sealed class NoReplies : IReplySender
    {
        public void Send(ReadOnlySpan<byte> datagram, ClientAddress to) => Assert.Fail("a plain-text or syslog note is never answered");
    }

    private readonly ServerCounters _counters = new();
    private readonly CommitQueue _queue = new(64 << 20);

    /// <summary>The client and text of each note the datagrams left, as their journal line will hold them.</summary>
    private List<(string Client, string Text, NoteOrigin Origin)> Handle(params byte[][] datagrams)
    {
        var router = new RequestRouter(_queue, Channel.CreateUnbounded<QueryWork>().Writer, new ReplyGate(new NoReplies(), _counters), _counters,
            NullLogger.Instance, [IPNetwork.Parse("127.0.0.0/8")]);
        foreach (var datagram in datagrams) router.Handle(datagram, new ClientAddress(new IPEndPoint(IPAddress.Loopback, 40000)));
        router.EndOfBatch();
        var notes = new List<(string, string, NoteOrigin)>();
        while (_queue.TryTakeBulk(out var work))
        {
            foreach (var note in work.Notes.Items.ToArray())
            {
                // The tail is the journal line's fields after seq and time (JournalLine.WriteTail).
                using var tail = JsonDocument.Parse(note.Tail);
                notes.Add((tail.RootElement.GetProperty("client").GetString()!, tail.RootElement.GetProperty("text").GetString()!, note.Origin));
            }
        }
        return notes;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_java_stack_trace_over_syslog_is_kept_with_its_line_breaks()
    {
        const string trace = "Exception in thread \"main\" java.lang.NullPointerException: boom\n"
            + "\tat com.example.Orders.total(Orders.java:42)\n\tat com.example.Main.main(Main.java:7)";
        var note = Assert.Single(Handle(Utf8($"<11>Nov 30 03:06:34 web01 java[311]: {trace}\n")));

        Assert.Equal(("web01/java", trace, NoteOrigin.Syslog), note);
        Assert.Equal(0, _counters.Rejected);
        Assert.Equal(0, _counters.Cut);
    }

    [Fact]
    public void A_multi_line_plain_text_datagram_is_kept_with_its_line_breaks()
    {
        var note = Assert.Single(Handle(Utf8("first line\r\nsecond line\nthird\n")));
        Assert.Equal("first line\r\nsecond line\nthird", note.Text);
        Assert.Equal(0, _counters.Rejected);
    }

    [Fact]
    public void An_rfc5424_message_with_structured_data_and_no_msg_keeps_the_structured_data_as_its_text()
    {
        var note = Assert.Single(Handle(Utf8("<14>1 2026-11-30T03:06:34Z host app - - [exampleSDID@32473 iut=\"3\"]")));
        Assert.Equal(("host/app", "[exampleSDID@32473 iut=\"3\"]", NoteOrigin.Syslog), note);
        Assert.Equal(0, _counters.Rejected);
    }

    [Fact]
    public void A_syslog_message_with_neither_msg_nor_structured_data_and_an_empty_plain_text_datagram_stay_refused()
    {
        Assert.Empty(Handle(Utf8("<13>"), Utf8("<14>1 2026-11-30T03:06:34Z host app - - -"), Utf8("\r\n"), [0, 0]));
        Assert.Equal(4, _counters.Rejected);
    }

    [Fact]
    public void A_200_byte_hostname_is_cut_so_that_the_client_name_fits_with_the_app_name_whole()
    {
        var host = string.Concat(Enumerable.Range(0, 20).Select(i => $"h{i:d2}-456789")); // 200 bytes
        var notes = Handle(Utf8($"<13>Nov 30 03:06:34 {host} app: hello"), Utf8($"<13>1 2026-11-30T03:06:34Z {host} - - - - bare"));

        Assert.Equal(host[..124] + "/app", notes[0].Client);
        Assert.Equal(host[..128], notes[1].Client);
        Assert.Equal(["hello", "bare"], notes.Select(n => n.Text));
        Assert.Equal(2, _counters.Cut);
        Assert.Equal(0, _counters.Rejected);
    }

    [Fact]
    public void A_5000_byte_plain_text_datagram_is_cut_to_the_limit_with_a_mark()
    {
        var note = Assert.Single(Handle(Utf8(new string('p', 5000))));

        Assert.Equal(new string('p', 4076) + "… [cut: 924 bytes]", note.Text);
        Assert.Equal(ProtocolConstants.MaxNoteBytes, Encoding.UTF8.GetByteCount(note.Text));
        Assert.Equal((1, 1, 0L), (_counters.PlainNotes, _counters.Cut, _counters.Rejected));
    }

    [Fact]
    public void A_5000_byte_syslog_message_is_cut_to_the_limit_with_a_mark()
    {
        var note = Assert.Single(Handle(Utf8("<13>Nov 30 03:06:34 host app: " + new string('s', 5000))));

        Assert.Equal(("host/app", new string('s', 4076) + "… [cut: 924 bytes]", NoteOrigin.Syslog), note);
        Assert.Equal((1, 1, 0L), (_counters.SyslogNotes, _counters.Cut, _counters.Rejected));
    }

    [Fact]
    public void A_long_gb18030_datagram_is_decoded_then_cut_between_characters()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var original = string.Concat(Enumerable.Repeat("你好", 1500)); // 6,000 bytes of GB18030, 9,000 of UTF-8
        var note = Assert.Single(Handle(Encoding.GetEncoding("GB18030").GetBytes(original)));

        Assert.InRange(Encoding.UTF8.GetByteCount(note.Text), ProtocolConstants.MaxNoteBytes - 2, ProtocolConstants.MaxNoteBytes);
        Assert.StartsWith(note.Text[..note.Text.IndexOf('…', StringComparison.Ordinal)], original, StringComparison.Ordinal);
        Assert.EndsWith(" bytes]", note.Text, StringComparison.Ordinal);
        Assert.Equal(1, _counters.Cut);
    }

    [Fact]
    public void The_stop_line_counts_cut_notes()
    {
        Handle(Utf8(new string('p', 5000)));
        Assert.Contains(" cut=1 ", _counters.ToString() + " ", StringComparison.Ordinal);
    }
}
