using System.Text;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class ClientsPageViewTests
{
    private static readonly ClientSummary[] Clients =
    [
        new("办公室电脑", "10.0.0.1:1", 3, 4, 5),
        new("", "", 0, long.MinValue, long.MaxValue),
        new("alice@laptop-01", "[fd00:10:6::b]:40001", ulong.MaxValue, -1, 1_740_816_000_000),
    ];

    [Fact]
    public void The_view_reads_the_page_and_every_client()
    {
        var datagram = MessageCodec.Encode(new ClientsPage(0xFFFFFFFF, 42, false, Clients));

        Assert.True(ClientsPageView.TryRead(datagram, out var view));

        Assert.Equal(0xFFFFFFFFU, view.RequestId);
        Assert.Equal(42UL, view.NextIndex);
        Assert.False(view.Complete);
        Assert.Equal(3, view.ClientCount);
        var read = new List<ClientSummary>();
        foreach (var client in view) read.Add(client.ToSummary());
        Assert.Equal(Clients, read);
    }

    [Fact]
    public void A_client_view_exposes_its_fields_as_sent()
    {
        var datagram = MessageCodec.Encode(new ClientsPage(1, 2, true, Clients[..1]));
        Assert.True(ClientsPageView.TryRead(datagram, out var view));

        var enumerator = view.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        var client = enumerator.Current;
        Assert.Equal("办公室电脑", Encoding.UTF8.GetString(client.Name));
        Assert.True(client.Name.Overlaps(datagram), "the name is a span over the datagram, not a copy");
        Assert.Equal("10.0.0.1:1", Encoding.UTF8.GetString(client.LastAddress));
        Assert.Equal(3UL, client.NoteCount);
        Assert.Equal(4L, client.FirstMs);
        Assert.Equal(5L, client.LastMs);
        Assert.False(enumerator.MoveNext());
        Assert.True(view.Complete);
    }

    [Fact]
    public void An_empty_page_enumerates_nothing()
    {
        Assert.True(ClientsPageView.TryRead(MessageCodec.Encode(new ClientsPage(3, 0, true, [])), out var view));

        Assert.Equal(0, view.ClientCount);
        foreach (var client in view) Assert.Fail($"unexpected client of {client.NoteCount} notes");
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.ClientsPage, (ref WireWriter w) => { }) },
        { "complete flag 2", Page((ref WireWriter w) => Client(ref w), flags: 2) },
        { "two clients counted, one sent", Page((ref WireWriter w) => Client(ref w), count: 2) },
        { "65535 clients counted in 20 bytes", Page((ref WireWriter w) => { for (var i = 0; i < 20; i++) w.WriteByte(0); }, count: ushort.MaxValue) },
        { "name of 513 bytes", Page((ref WireWriter w) => Client(ref w, nameLength: ProtocolConstants.MaxNameBytes * 4 + 1)) },
        { "address of 513 bytes", Page((ref WireWriter w) => Client(ref w, addressLength: ProtocolConstants.MaxFilterBytes + 1)) },
        { "name of invalid utf8", Page((ref WireWriter w) => { w.WriteBytes([0xFE]); w.WriteBytes("a"u8); w.WriteVarUInt(1); w.WriteVarInt64(2); w.WriteVarInt64(3); }) },
        { "address of invalid utf8", Page((ref WireWriter w) => { w.WriteBytes("n"u8); w.WriteBytes([0xF0, 0x9F, 0x99]); w.WriteVarUInt(1); w.WriteVarInt64(2); w.WriteVarInt64(3); }) },
        { "last time missing", Page((ref WireWriter w) => { w.WriteBytes("n"u8); w.WriteBytes("a"u8); w.WriteVarUInt(1); w.WriteVarInt64(2); }) },
        { "overflowing note count", Page((ref WireWriter w) => { w.WriteBytes("n"u8); w.WriteBytes("a"u8); for (var i = 0; i < 9; i++) w.WriteByte(0xFF); w.WriteByte(0x02); w.WriteVarInt64(2); w.WriteVarInt64(3); }) },
        { "trailing byte", [.. MessageCodec.Encode(new ClientsPage(1, 2, false, Clients)), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_pages_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(ClientsPageView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Names_and_addresses_at_their_limits_are_accepted()
    {
        var datagram = Page((ref WireWriter w) => Client(ref w, nameLength: ProtocolConstants.MaxNameBytes * 4, addressLength: ProtocolConstants.MaxFilterBytes));

        Assert.True(ClientsPageView.TryRead(datagram, out var view));

        foreach (var client in view)
        {
            Assert.Equal(ProtocolConstants.MaxNameBytes * 4, client.Name.Length);
            Assert.Equal(ProtocolConstants.MaxFilterBytes, client.LastAddress.Length);
        }
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram, out var message));
        ViewAssert.Same((ClientsPage)message!, view);
    }

    [Fact]
    public void Other_datagrams_are_not_clients_pages()
    {
        Assert.False(ClientsPageView.TryRead(MessageCodec.Encode(new HistoryPage(1, 2, true, [])), out _));
        Assert.False(ClientsPageView.TryRead([0xFE, (byte)'N', (byte)'J'], out _));
    }

    [Fact]
    public void Generated_pages_read_back_field_by_field()
    {
        ViewGen.ClientsPage.Sample(page =>
        {
            Assert.True(ClientsPageView.TryRead(MessageCodec.Encode(page), out var view));
            ViewAssert.Same(page, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_a_clients_page()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.ClientsPage, MessageType.ClientsPage), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is ClientsPage;
        Assert.Equal(decoded, ClientsPageView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((ClientsPage)message!, view);
        return decoded;
    }

    /// <summary>A page with id 1, next 2, the given flags and count, then the given client bytes.</summary>
    private static byte[] Page(BodyWriter clients, ushort count = 1, byte flags = 0) =>
        WireBuilder.Build(MessageType.ClientsPage, (ref WireWriter w) =>
        {
            w.WriteUInt32(1);
            w.WriteUInt64(2);
            w.WriteByte(flags);
            w.WriteUInt16(count);
            clients(ref w);
        });

    private static void Client(ref WireWriter w, int nameLength = 1, int addressLength = 1)
    {
        WireBuilder.WriteRun(ref w, nameLength, (byte)'n');
        WireBuilder.WriteRun(ref w, addressLength, (byte)'a');
        w.WriteVarUInt(7);
        w.WriteVarInt64(-8);
        w.WriteVarInt64(9);
    }
}
