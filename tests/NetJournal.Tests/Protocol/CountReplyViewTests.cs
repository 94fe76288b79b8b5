using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class CountReplyViewTests
{
    [Fact]
    public void The_view_reads_every_field_of_hand_written_bytes()
    {
        // Id 1, matched 300 (varint AC 02), start after 2, end 3, total 2^64-1 (nine FF and 01).
        byte[] datagram =
        [
            0xFE, (byte)'N', (byte)'J', 1, (byte)MessageType.CountReply, 0, 0, 0, 0, 1, 0xAC, 0x02, 2, 3,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
        ];

        Assert.True(CountReplyView.TryRead(datagram, out var view));

        Assert.Equal(1U, view.RequestId);
        Assert.Equal(300UL, view.Matched);
        Assert.Equal(2UL, view.StartAfterSeq);
        Assert.Equal(3UL, view.EndSeq);
        Assert.Equal(ulong.MaxValue, view.TotalNotes);
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.CountReply, (ref WireWriter w) => { }) },
        { "total missing", WireBuilder.Build(MessageType.CountReply, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteVarUInt(2); w.WriteVarUInt(3); w.WriteVarUInt(4); }) },
        { "overlong varint", WireBuilder.Build(MessageType.CountReply, (ref WireWriter w) => { w.WriteUInt32(1); for (var i = 0; i < 10; i++) w.WriteByte(0x80); w.WriteByte(1); w.WriteVarUInt(0); w.WriteVarUInt(0); w.WriteVarUInt(0); }) },
        { "overflowing varint", WireBuilder.Build(MessageType.CountReply, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteVarUInt(0); w.WriteVarUInt(0); w.WriteVarUInt(0); for (var i = 0; i < 9; i++) w.WriteByte(0xFF); w.WriteByte(0x02); }) },
        { "trailing byte", [.. MessageCodec.Encode(new CountReply(1, 2, 3, 4, 5)), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_replies_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(CountReplyView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Other_datagrams_are_not_count_replies()
    {
        Assert.False(CountReplyView.TryRead(MessageCodec.Encode(new CountRequest(1, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None)), out _));
        byte[] version2 = [.. MessageCodec.Encode(new CountReply(1, 2, 3, 4, 5))];
        version2[3] = 2;
        Assert.False(CountReplyView.TryRead(version2, out _));
    }

    [Fact]
    public void Generated_replies_read_back_field_by_field()
    {
        ViewGen.CountReply.Sample(reply =>
        {
            Assert.True(CountReplyView.TryRead(MessageCodec.Encode(reply), out var view));
            ViewAssert.Same(reply, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_a_count_reply()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.CountReply, MessageType.CountReply), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is CountReply;
        Assert.Equal(decoded, CountReplyView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((CountReply)message!, view);
        return decoded;
    }
}
