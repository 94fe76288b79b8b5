using System.Text;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class CountRequestViewTests
{
    private static readonly byte[] Token = [0xA0, 0x01, 0x00, 0xFF];

    [Fact]
    public void The_view_reads_every_field_and_the_filter()
    {
        var datagram = MessageCodec.Encode(new CountRequest(77, Token, 1000, new HistoryFilter(Client: "张伟@ops-13", SinceMs: long.MinValue, Grep: "🙂")));

        Assert.True(CountRequestView.TryRead(datagram, out var view));

        Assert.Equal(77U, view.RequestId);
        Assert.Equal(Token, view.Token.ToArray());
        Assert.Equal(1000UL, view.LastN);
        var filter = view.Filter;
        Assert.True(filter.HasClient);
        Assert.Equal("张伟@ops-13", Encoding.UTF8.GetString(filter.Client));
        Assert.False(filter.HasAddress);
        Assert.True(filter.Address.IsEmpty);
        Assert.Equal(long.MinValue, filter.SinceMs);
        Assert.Null(filter.UntilMs);
        Assert.True(filter.HasGrep);
        Assert.Equal("🙂", Encoding.UTF8.GetString(filter.Grep));
    }

    [Fact]
    public void A_request_without_token_or_filter_reads_empty_ones()
    {
        Assert.True(CountRequestView.TryRead(MessageCodec.Encode(new CountRequest(1, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None)), out var view));

        Assert.Equal(1U, view.RequestId);
        Assert.True(view.Token.IsEmpty);
        Assert.Equal(0UL, view.LastN);
        Assert.True(view.Filter.IsEmpty);
        Assert.Same(HistoryFilter.None, view.Filter.ToFilter());
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.CountRequest, (ref WireWriter w) => { }) },
        { "token of 65 bytes", Request((ref WireWriter w) => w.WriteByte(0), tokenLength: ProtocolConstants.MaxTokenBytes + 1) },
        { "no filter", Request((ref WireWriter w) => { }) },
        { "filter bit 32", Request((ref WireWriter w) => w.WriteByte(32)) },
        { "grep of 513 bytes", Request((ref WireWriter w) => { w.WriteByte(16); WireBuilder.WriteRun(ref w, ProtocolConstants.MaxFilterBytes + 1); }) },
        { "client of invalid utf8", Request((ref WireWriter w) => { w.WriteByte(1); w.WriteBytes([0xC0, 0x80]); }) },
        { "trailing byte", [.. MessageCodec.Encode(new CountRequest(1, Token, 2, HistoryFilter.None)), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_requests_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(CountRequestView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Other_datagrams_are_not_count_requests()
    {
        Assert.False(CountRequestView.TryRead(MessageCodec.Encode(new HistoryRequest(1, Token, 0, 0, 512, HistoryFilter.None)), out _));
        Assert.False(CountRequestView.TryRead([], out _));
    }

    [Fact]
    public void Generated_requests_read_back_field_by_field()
    {
        ViewGen.CountRequest.Sample(request =>
        {
            Assert.True(CountRequestView.TryRead(MessageCodec.Encode(request), out var view));
            ViewAssert.Same(request, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_a_count_request()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.CountRequest, MessageType.CountRequest), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is CountRequest;
        Assert.Equal(decoded, CountRequestView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((CountRequest)message!, view);
        return decoded;
    }

    /// <summary>A request with id 9, a token of <paramref name="tokenLength"/> bytes, last 5, then the given filter bytes.</summary>
    private static byte[] Request(BodyWriter filter, int tokenLength = 0) =>
        WireBuilder.Build(MessageType.CountRequest, (ref WireWriter w) =>
        {
            w.WriteUInt32(9);
            WireBuilder.WriteRun(ref w, tokenLength, 7);
            w.WriteVarUInt(5);
            filter(ref w);
        });
}
