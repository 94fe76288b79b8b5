using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class ClientsRequestViewTests
{
    private static readonly byte[] FullToken = [.. Enumerable.Range(0, ProtocolConstants.MaxTokenBytes).Select(i => (byte)(255 - i))];

    [Fact]
    public void The_view_reads_every_field()
    {
        var datagram = MessageCodec.Encode(new ClientsRequest(0xFFFFFFFF, FullToken, ulong.MaxValue, ushort.MaxValue));

        Assert.True(ClientsRequestView.TryRead(datagram, out var view));

        Assert.Equal(0xFFFFFFFFU, view.RequestId);
        Assert.Equal(FullToken, view.Token.ToArray());
        Assert.True(view.Token.Overlaps(datagram), "the token is a span over the datagram, not a copy");
        Assert.Equal(ulong.MaxValue, view.AfterIndex);
        Assert.Equal(ushort.MaxValue, view.MaxReply);
    }

    [Fact]
    public void A_first_contact_request_has_an_empty_token()
    {
        Assert.True(ClientsRequestView.TryRead(MessageCodec.Encode(new ClientsRequest(5, ReadOnlyMemory<byte>.Empty, 0, 1232)), out var view));

        Assert.Equal(5U, view.RequestId);
        Assert.True(view.Token.IsEmpty);
        Assert.Equal(0UL, view.AfterIndex);
        Assert.Equal((ushort)1232, view.MaxReply);
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.ClientsRequest, (ref WireWriter w) => { }) },
        { "token of 65 bytes", WireBuilder.Build(MessageType.ClientsRequest, (ref WireWriter w) => { w.WriteUInt32(1); WireBuilder.WriteRun(ref w, 65); w.WriteVarUInt(0); w.WriteUInt16(512); }) },
        { "token longer than the datagram", WireBuilder.Build(MessageType.ClientsRequest, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteVarUInt(10); w.WriteVarUInt(0); w.WriteUInt16(512); }) },
        { "max reply cut short", WireBuilder.Build(MessageType.ClientsRequest, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteVarUInt(0); w.WriteVarUInt(0); w.WriteByte(2); }) },
        { "trailing byte", [.. MessageCodec.Encode(new ClientsRequest(1, FullToken, 2, 3)), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_requests_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(ClientsRequestView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Other_datagrams_are_not_clients_requests()
    {
        Assert.False(ClientsRequestView.TryRead(MessageCodec.Encode(new RetryChallenge(1, FullToken)), out _));
        Assert.False(ClientsRequestView.TryRead("R"u8, out _));
    }

    [Fact]
    public void Generated_requests_read_back_field_by_field()
    {
        ViewGen.ClientsRequest.Sample(request =>
        {
            Assert.True(ClientsRequestView.TryRead(MessageCodec.Encode(request), out var view));
            ViewAssert.Same(request, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_a_clients_request()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.ClientsRequest, MessageType.ClientsRequest), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is ClientsRequest;
        Assert.Equal(decoded, ClientsRequestView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((ClientsRequest)message!, view);
        return decoded;
    }
}
