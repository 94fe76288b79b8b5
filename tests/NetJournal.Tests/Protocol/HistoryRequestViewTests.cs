using System.Text;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class HistoryRequestViewTests
{
    private static readonly byte[] FullToken = [.. Enumerable.Range(1, ProtocolConstants.MaxTokenBytes).Select(i => (byte)i)];

    [Fact]
    public void The_view_reads_every_field_and_the_filter()
    {
        var datagram = MessageCodec.Encode(new HistoryRequest(0xDEADBEEF, FullToken, 500_000, ulong.MaxValue, 1232,
            new HistoryFilter("办公室电脑", "[fd00::1]:514", -5, 1_740_816_000_000, "")));

        Assert.True(HistoryRequestView.TryRead(datagram, out var view));

        Assert.Equal(0xDEADBEEFU, view.RequestId);
        Assert.Equal(FullToken, view.Token.ToArray());
        Assert.True(view.Token.Overlaps(datagram), "the token is a span over the datagram, not a copy");
        Assert.Equal(500_000UL, view.AfterSeq);
        Assert.Equal(ulong.MaxValue, view.UntilSeq);
        Assert.Equal((ushort)1232, view.MaxReply);
        var filter = view.Filter;
        Assert.False(filter.IsEmpty);
        Assert.True(filter.HasClient);
        Assert.Equal("办公室电脑", Encoding.UTF8.GetString(filter.Client));
        Assert.True(filter.HasAddress);
        Assert.Equal("[fd00::1]:514", Encoding.UTF8.GetString(filter.Address));
        Assert.Equal(-5L, filter.SinceMs);
        Assert.Equal(1_740_816_000_000L, filter.UntilMs);
        Assert.True(filter.HasGrep, "an empty grep is present, not absent");
        Assert.True(filter.Grep.IsEmpty);
        Assert.Equal(new HistoryFilter("办公室电脑", "[fd00::1]:514", -5, 1_740_816_000_000, ""), filter.ToFilter());
    }

    [Fact]
    public void A_request_without_filter_reads_an_empty_filter_that_materialises_as_none()
    {
        Assert.True(HistoryRequestView.TryRead(MessageCodec.Encode(new HistoryRequest(1, ReadOnlyMemory<byte>.Empty, 0, 0, 512, HistoryFilter.None)), out var view));

        Assert.True(view.Token.IsEmpty);
        var filter = view.Filter;
        Assert.True(filter.IsEmpty);
        Assert.False(filter.HasClient || filter.HasAddress || filter.HasGrep);
        Assert.Null(filter.SinceMs);
        Assert.Null(filter.UntilMs);
        Assert.Same(HistoryFilter.None, filter.ToFilter());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Each_filter_field_alone_is_read_alone(int field)
    {
        var sent = new HistoryFilter(
            (field & 1) != 0 ? "pc" : null, (field & 2) != 0 ? "::1" : null, (field & 4) != 0 ? 10 : null,
            (field & 8) != 0 ? 20 : null, (field & 16) != 0 ? "天气" : null);

        Assert.True(HistoryRequestView.TryRead(MessageCodec.Encode(new HistoryRequest(1, FullToken, 2, 3, 4, sent)), out var view));

        ViewAssert.Same(sent, view.Filter);
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.HistoryRequest, (ref WireWriter w) => { }) },
        { "token of 65 bytes", Request((ref WireWriter w) => w.WriteByte(0), tokenLength: ProtocolConstants.MaxTokenBytes + 1) },
        { "no max reply", WireBuilder.Build(MessageType.HistoryRequest, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteVarUInt(0); w.WriteVarUInt(1); w.WriteVarUInt(2); w.WriteByte(0); }) },
        { "no filter", Request((ref WireWriter w) => { }) },
        { "filter bit 32", Request((ref WireWriter w) => w.WriteByte(32)) },
        { "filter bits 0xFF", Request((ref WireWriter w) => w.WriteByte(0xFF)) },
        { "client of 513 bytes", Request((ref WireWriter w) => { w.WriteByte(1); WireBuilder.WriteRun(ref w, ProtocolConstants.MaxFilterBytes + 1); }) },
        { "address of 513 bytes", Request((ref WireWriter w) => { w.WriteByte(2); WireBuilder.WriteRun(ref w, ProtocolConstants.MaxFilterBytes + 1); }) },
        { "grep of 513 bytes", Request((ref WireWriter w) => { w.WriteByte(16); WireBuilder.WriteRun(ref w, ProtocolConstants.MaxFilterBytes + 1); }) },
        { "client of invalid utf8", Request((ref WireWriter w) => { w.WriteByte(1); w.WriteBytes([0xFF]); }) },
        { "address cut inside a character", Request((ref WireWriter w) => { w.WriteByte(2); w.WriteBytes([0xE5, 0xA5]); }) },
        { "grep of an encoded surrogate", Request((ref WireWriter w) => { w.WriteByte(16); w.WriteBytes([0xED, 0xA0, 0x80]); }) },
        { "since announced, missing", Request((ref WireWriter w) => w.WriteByte(4)) },
        { "until announced, overlong", Request((ref WireWriter w) => { w.WriteByte(8); for (var i = 0; i < 11; i++) w.WriteByte(0x80); }) },
        { "grep announced, missing", Request((ref WireWriter w) => { w.WriteByte(1 | 16); w.WriteBytes("pc"u8); }) },
        { "trailing byte", [.. MessageCodec.Encode(new HistoryRequest(1, FullToken, 2, 3, 4, new HistoryFilter(Grep: "x"))), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_requests_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(HistoryRequestView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Tokens_and_filter_strings_at_their_limits_are_accepted()
    {
        var datagram = Request((ref WireWriter w) =>
        {
            w.WriteByte(1 | 2 | 16);
            WireBuilder.WriteRun(ref w, ProtocolConstants.MaxFilterBytes, (byte)'c');
            WireBuilder.WriteRun(ref w, ProtocolConstants.MaxFilterBytes, (byte)'a');
            WireBuilder.WriteRun(ref w, ProtocolConstants.MaxFilterBytes, (byte)'g');
        }, tokenLength: ProtocolConstants.MaxTokenBytes);

        Assert.True(HistoryRequestView.TryRead(datagram, out var view));

        Assert.Equal(ProtocolConstants.MaxTokenBytes, view.Token.Length);
        Assert.Equal(ProtocolConstants.MaxFilterBytes, view.Filter.Client.Length);
        Assert.Equal(ProtocolConstants.MaxFilterBytes, view.Filter.Address.Length);
        Assert.Equal(ProtocolConstants.MaxFilterBytes, view.Filter.Grep.Length);
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram, out var message));
        ViewAssert.Same((HistoryRequest)message!, view);
    }

    [Fact]
    public void Other_datagrams_are_not_history_requests()
    {
        Assert.False(HistoryRequestView.TryRead(MessageCodec.Encode(new CountRequest(1, FullToken, 0, HistoryFilter.None)), out _));
        Assert.False(HistoryRequestView.TryRead("r\n"u8, out _));
    }

    [Fact]
    public void Generated_requests_read_back_field_by_field()
    {
        ViewGen.HistoryRequest.Sample(request =>
        {
            Assert.True(HistoryRequestView.TryRead(MessageCodec.Encode(request), out var view));
            ViewAssert.Same(request, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_a_history_request()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.HistoryRequest, MessageType.HistoryRequest), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is HistoryRequest;
        Assert.Equal(decoded, HistoryRequestView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((HistoryRequest)message!, view);
        return decoded;
    }

    /// <summary>A request with id 9, a token of <paramref name="tokenLength"/> bytes, after 1, until 0, max reply 1232, then the given filter bytes.</summary>
    private static byte[] Request(BodyWriter filter, int tokenLength = 0) =>
        WireBuilder.Build(MessageType.HistoryRequest, (ref WireWriter w) =>
        {
            w.WriteUInt32(9);
            WireBuilder.WriteRun(ref w, tokenLength, 7);
            w.WriteVarUInt(1);
            w.WriteVarUInt(0);
            w.WriteUInt16(1232);
            filter(ref w);
        });
}
