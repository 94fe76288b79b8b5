using System.Text;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class ErrorReplyViewTests
{
    [Fact]
    public void The_view_reads_every_field()
    {
        var datagram = MessageCodec.Encode(new ErrorReply(42, ErrorCode.RateLimited, "限速了, slow down 🙂"));

        Assert.True(ErrorReplyView.TryRead(datagram, out var view));

        Assert.Equal(42U, view.RequestId);
        Assert.Equal(ErrorCode.RateLimited, view.Code);
        Assert.Equal("限速了, slow down 🙂", Encoding.UTF8.GetString(view.Detail));
        Assert.True(view.Detail.Overlaps(datagram), "the detail is a span over the datagram, not a copy");
    }

    [Fact]
    public void An_unknown_code_and_an_empty_detail_are_read_as_sent()
    {
        Assert.True(ErrorReplyView.TryRead(MessageCodec.Encode(new ErrorReply(0, (ErrorCode)200, "")), out var view));

        Assert.Equal(0U, view.RequestId);
        Assert.Equal((ErrorCode)200, view.Code);
        Assert.True(view.Detail.IsEmpty);
    }

    [Fact]
    public void A_detail_longer_than_a_note_is_accepted()
    {
        var detail = new string('错', 5000);

        Assert.True(ErrorReplyView.TryRead(MessageCodec.Encode(new ErrorReply(1, ErrorCode.Malformed, detail)), out var view));

        Assert.Equal(15_000, view.Detail.Length);
        Assert.Equal(detail, Encoding.UTF8.GetString(view.Detail));
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.ErrorReply, (ref WireWriter w) => { }) },
        { "code missing", WireBuilder.Build(MessageType.ErrorReply, (ref WireWriter w) => w.WriteUInt32(1)) },
        { "detail missing", WireBuilder.Build(MessageType.ErrorReply, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteByte(8); }) },
        { "detail of invalid utf8", WireBuilder.Build(MessageType.ErrorReply, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteByte(8); w.WriteBytes([0x62, 0xAD, 0x61]); }) },
        { "detail longer than the datagram", WireBuilder.Build(MessageType.ErrorReply, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteByte(8); w.WriteVarUInt(3); w.WriteByte(0x61); }) },
        { "trailing byte", [.. MessageCodec.Encode(new ErrorReply(1, ErrorCode.Malformed, "x")), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_replies_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(ErrorReplyView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Other_datagrams_are_not_error_replies()
    {
        Assert.False(ErrorReplyView.TryRead(MessageCodec.Encode(new RetryChallenge(1, new byte[] { 1 })), out _));
        Assert.False(ErrorReplyView.TryRead("今天天气很好"u8, out _));
    }

    [Fact]
    public void Generated_replies_read_back_field_by_field()
    {
        ViewGen.ErrorReply.Sample(reply =>
        {
            Assert.True(ErrorReplyView.TryRead(MessageCodec.Encode(reply), out var view));
            ViewAssert.Same(reply, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_an_error_reply()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.ErrorReply, MessageType.ErrorReply), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is ErrorReply;
        Assert.Equal(decoded, ErrorReplyView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((ErrorReply)message!, view);
        return decoded;
    }
}
