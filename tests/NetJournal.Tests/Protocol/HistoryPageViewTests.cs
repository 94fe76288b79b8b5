using System.Text;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class HistoryPageViewTests
{
    private static readonly Note[] Notes =
    [
        new(1, 1_740_816_000_000, "路由器", "[::1]:514", "链路 up", NoteOrigin.Syslog, 13),
        new(2, -5, "", "", "", NoteOrigin.Native),
        new(ulong.MaxValue, long.MinValue, "张伟@ops-13", "10.9.4.50:51234", "第一条 🙂", NoteOrigin.PlainText),
        new(4, 0, "host/app", "1.2.3.4:5", "priority zero is still a priority", NoteOrigin.Syslog, 0),
        new(5, 1, "h", "a", new string('长', 3000), NoteOrigin.Syslog, 191),
    ];

    [Fact]
    public void The_view_reads_the_page_and_every_note()
    {
        var datagram = MessageCodec.Encode(new HistoryPage(7, 500_010, true, Notes));

        Assert.True(HistoryPageView.TryRead(datagram, out var view));

        Assert.Equal(7U, view.RequestId);
        Assert.Equal(500_010UL, view.NextAfterSeq);
        Assert.True(view.Complete);
        Assert.Equal(5, view.NoteCount);
        var read = new List<Note>();
        foreach (var note in view)
        {
            Assert.True(note.Text.IsEmpty || note.Text.Overlaps(datagram), "the text is a span over the datagram, not a copy");
            read.Add(note.ToNote());
        }
        Assert.Equal(Notes, read);
    }

    [Fact]
    public void A_note_view_exposes_its_fields_as_sent()
    {
        Assert.True(HistoryPageView.TryRead(MessageCodec.Encode(new HistoryPage(1, 2, false, Notes[..1])), out var view));

        var enumerator = view.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        var note = enumerator.Current;
        Assert.Equal(1UL, note.Seq);
        Assert.Equal(1_740_816_000_000L, note.TimeMs);
        Assert.Equal("路由器", Encoding.UTF8.GetString(note.Client));
        Assert.Equal("[::1]:514", Encoding.UTF8.GetString(note.Address));
        Assert.Equal("链路 up", Encoding.UTF8.GetString(note.Text));
        Assert.Equal(NoteOrigin.Syslog, note.Origin);
        Assert.Equal((byte?)13, note.Priority);
        Assert.False(enumerator.MoveNext());
        Assert.False(view.Complete);
    }

    [Fact]
    public void An_empty_page_enumerates_nothing()
    {
        Assert.True(HistoryPageView.TryRead(MessageCodec.Encode(new HistoryPage(3, 0, true, [])), out var view));

        Assert.Equal(0, view.NoteCount);
        foreach (var note in view) Assert.Fail($"unexpected note {note.Seq}");
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.HistoryPage, (ref WireWriter w) => { }) },
        { "no note count", WireBuilder.Build(MessageType.HistoryPage, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteUInt64(2); w.WriteByte(0); }) },
        { "complete flag 2", Page((ref WireWriter w) => { NoteFields(ref w); w.WriteByte(0); }, flags: 2) },
        { "two notes counted, one sent", Page((ref WireWriter w) => { NoteFields(ref w); w.WriteByte(0); }, count: 2) },
        { "65535 notes counted in 20 bytes", Page((ref WireWriter w) => { for (var i = 0; i < 20; i++) w.WriteByte(1); }, count: ushort.MaxValue) },
        { "origin 5", Page((ref WireWriter w) => { NoteFields(ref w); w.WriteByte(5); }) },
        { "origin 0x7F", Page((ref WireWriter w) => { NoteFields(ref w); w.WriteByte(0x7F); }) },
        { "origin 5 with a priority", Page((ref WireWriter w) => { NoteFields(ref w); w.WriteByte(0x85); w.WriteByte(5); }) },
        { "priority 192", Page((ref WireWriter w) => { NoteFields(ref w); w.WriteByte(0x82); w.WriteByte(192); }) },
        { "priority announced, missing", Page((ref WireWriter w) => { NoteFields(ref w); w.WriteByte(0x82); }) },
        { "origin missing", Page((ref WireWriter w) => NoteFields(ref w)) },
        { "client of 513 bytes", Page((ref WireWriter w) => { NoteFields(ref w, clientLength: ProtocolConstants.MaxNameBytes * 4 + 1); w.WriteByte(0); }) },
        { "address of 513 bytes", Page((ref WireWriter w) => { NoteFields(ref w, addressLength: ProtocolConstants.MaxFilterBytes + 1); w.WriteByte(0); }) },
        { "client of invalid utf8", Page((ref WireWriter w) => { w.WriteVarUInt(1); w.WriteVarInt64(2); w.WriteBytes([0xFF]); w.WriteBytes("a"u8); w.WriteBytes("t"u8); w.WriteByte(0); }) },
        { "address of invalid utf8", Page((ref WireWriter w) => { w.WriteVarUInt(1); w.WriteVarInt64(2); w.WriteBytes("c"u8); w.WriteBytes([0xE5, 0xA5]); w.WriteBytes("t"u8); w.WriteByte(0); }) },
        { "text of invalid utf8", Page((ref WireWriter w) => { w.WriteVarUInt(1); w.WriteVarInt64(2); w.WriteBytes("c"u8); w.WriteBytes("a"u8); w.WriteBytes([0x61, 0x80]); w.WriteByte(0); }) },
        { "text longer than the datagram", Page((ref WireWriter w) => { w.WriteVarUInt(1); w.WriteVarInt64(2); w.WriteBytes("c"u8); w.WriteBytes("a"u8); w.WriteVarUInt(100); w.WriteByte(0x61); }) },
        { "trailing byte", [.. MessageCodec.Encode(new HistoryPage(1, 2, false, Notes[..2])), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_pages_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(HistoryPageView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Fields_at_their_limits_are_accepted()
    {
        var datagram = Page((ref WireWriter w) =>
        {
            NoteFields(ref w, clientLength: ProtocolConstants.MaxNameBytes * 4, addressLength: ProtocolConstants.MaxFilterBytes, textLength: 20_000);
            w.WriteByte(0x82);
            w.WriteByte(191);
        });

        Assert.True(HistoryPageView.TryRead(datagram, out var view));

        foreach (var note in view)
        {
            Assert.Equal(ProtocolConstants.MaxNameBytes * 4, note.Client.Length);
            Assert.Equal(ProtocolConstants.MaxFilterBytes, note.Address.Length);
            Assert.Equal(20_000, note.Text.Length);
            Assert.Equal((byte?)191, note.Priority);
        }
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram, out var message));
        ViewAssert.Same((HistoryPage)message!, view);
    }

    [Fact]
    public void Other_datagrams_are_not_history_pages()
    {
        Assert.False(HistoryPageView.TryRead(MessageCodec.Encode(new ClientsPage(1, 2, true, [])), out _));
        Assert.False(HistoryPageView.TryRead("<13>Nov 25 13:21:11 host app: 链路 up"u8, out _));
    }

    [Fact]
    public void Generated_pages_read_back_field_by_field()
    {
        ViewGen.HistoryPage.Sample(page =>
        {
            Assert.True(HistoryPageView.TryRead(MessageCodec.Encode(page), out var view));
            ViewAssert.Same(page, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_a_history_page()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.HistoryPage, MessageType.HistoryPage), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is HistoryPage;
        Assert.Equal(decoded, HistoryPageView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((HistoryPage)message!, view);
        return decoded;
    }

    /// <summary>A page with id 1, next 2, the given flags and count, then the given note bytes.</summary>
    private static byte[] Page(BodyWriter notes, ushort count = 1, byte flags = 0) =>
        WireBuilder.Build(MessageType.HistoryPage, (ref WireWriter w) =>
        {
            w.WriteUInt32(1);
            w.WriteUInt64(2);
            w.WriteByte(flags);
            w.WriteUInt16(count);
            notes(ref w);
        });

    /// <summary>A note's seq, time, client, address and text, all but the origin.</summary>
    private static void NoteFields(ref WireWriter w, int clientLength = 1, int addressLength = 1, int textLength = 1)
    {
        w.WriteVarUInt(10);
        w.WriteVarInt64(-20);
        WireBuilder.WriteRun(ref w, clientLength, (byte)'c');
        WireBuilder.WriteRun(ref w, addressLength, (byte)'a');
        WireBuilder.WriteRun(ref w, textLength, (byte)'t');
    }
}
