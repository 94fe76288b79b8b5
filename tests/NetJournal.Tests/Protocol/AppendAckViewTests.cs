using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class AppendAckViewTests
{
    [Fact]
    public void The_view_reads_every_field_and_result()
    {
        var datagram = MessageCodec.Encode(new AppendAck(0x0102030405060708, 300,
            [NoteResult.Stored(500_000), NoteResult.Duplicate(7), NoteResult.Rejected(ErrorCode.InvalidUtf8), NoteResult.Deferred,
             NoteResult.Rejected((ErrorCode)200), NoteResult.Stored(ulong.MaxValue), NoteResult.Held]));

        Assert.True(AppendAckView.TryRead(datagram, out var view));

        Assert.Equal(0x0102030405060708UL, view.Instance);
        Assert.Equal(300UL, view.FirstNumber);
        Assert.Equal(7, view.ResultCount);
        var results = new List<NoteResult>();
        foreach (var result in view) results.Add(result);
        Assert.Equal(
            [
                new NoteResult(NoteStatus.Stored, 500_000, ErrorCode.None), new NoteResult(NoteStatus.Duplicate, 7, ErrorCode.None),
                new NoteResult(NoteStatus.Rejected, 0, ErrorCode.InvalidUtf8), new NoteResult(NoteStatus.Deferred, 0, ErrorCode.None),
                new NoteResult(NoteStatus.Rejected, 0, (ErrorCode)200), new NoteResult(NoteStatus.Stored, ulong.MaxValue, ErrorCode.None),
                new NoteResult(NoteStatus.Held, 0, ErrorCode.None),
            ],
            results);
    }

    [Fact]
    public void An_ack_without_results_enumerates_nothing()
    {
        Assert.True(AppendAckView.TryRead(MessageCodec.Encode(new AppendAck(1, 2, [])), out var view));

        Assert.Equal(0, view.ResultCount);
        foreach (var result in view) Assert.Fail($"unexpected result {result}");
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.AppendAck, (ref WireWriter w) => { }) },
        { "no result count", WireBuilder.Build(MessageType.AppendAck, (ref WireWriter w) => { w.WriteUInt64(1); w.WriteVarUInt(2); }) },
        { "status 0 alone, as if deferred", Ack(1, (ref WireWriter w) => w.WriteByte(0)) },
        { "status 6 alone, as if deferred", Ack(1, (ref WireWriter w) => w.WriteByte(6)) },
        { "status 0 and a seq, as if stored", Ack(1, (ref WireWriter w) => { w.WriteByte(0); w.WriteVarUInt(1); }) },
        { "status 6 and a seq, as if stored", Ack(1, (ref WireWriter w) => { w.WriteByte(6); w.WriteVarUInt(1); }) },
        { "a held result with a seq after it", Ack(1, (ref WireWriter w) => { w.WriteByte((byte)NoteStatus.Held); w.WriteVarUInt(5); }) },
        { "status 255 and a seq, as if stored", Ack(1, (ref WireWriter w) => { w.WriteByte(255); w.WriteVarUInt(1); }) },
        { "stored without its seq", Ack(1, (ref WireWriter w) => w.WriteByte((byte)NoteStatus.Stored)) },
        { "duplicate without its seq", Ack(1, (ref WireWriter w) => w.WriteByte((byte)NoteStatus.Duplicate)) },
        { "rejected without its code", Ack(1, (ref WireWriter w) => w.WriteByte((byte)NoteStatus.Rejected)) },
        { "three results counted, two sent", Ack(3, (ref WireWriter w) => { w.WriteByte((byte)NoteStatus.Deferred); w.WriteByte((byte)NoteStatus.Deferred); }) },
        { "a deferred result with a seq after it", Ack(1, (ref WireWriter w) => { w.WriteByte((byte)NoteStatus.Deferred); w.WriteVarUInt(5); }) },
        { "overlong seq", Ack(1, (ref WireWriter w) => { w.WriteByte((byte)NoteStatus.Stored); for (var i = 0; i < 10; i++) w.WriteByte(0x80); w.WriteByte(1); }) },
        { "trailing byte", [.. MessageCodec.Encode(new AppendAck(1, 2, [NoteResult.Stored(3)])), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_acks_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(AppendAckView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Other_datagrams_are_not_acks()
    {
        Assert.False(AppendAckView.TryRead(MessageCodec.Encode(new CountReply(1, 2, 3, 4, 5)), out _));
        Assert.False(AppendAckView.TryRead("plain text"u8, out _));
        byte[] sealedAck = [.. MessageCodec.Encode(new AppendAck(1, 2, []))];
        sealedAck[5] = (byte)HeaderFlags.Sealed;
        Assert.False(AppendAckView.TryRead(sealedAck, out _));
    }

    [Fact]
    public void Generated_acks_read_back_field_by_field()
    {
        ViewGen.AppendAck.Sample(ack =>
        {
            Assert.True(AppendAckView.TryRead(MessageCodec.Encode(ack), out var view));
            ViewAssert.Same(ack, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_an_ack()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.AppendAck, MessageType.AppendAck), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is AppendAck;
        Assert.Equal(decoded, AppendAckView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((AppendAck)message!, view);
        return decoded;
    }

    /// <summary>An ack of instance 1, first number 2, claiming <paramref name="count"/> results, then the given result bytes.</summary>
    private static byte[] Ack(byte count, BodyWriter results) =>
        WireBuilder.Build(MessageType.AppendAck, (ref WireWriter w) =>
        {
            w.WriteUInt64(1);
            w.WriteVarUInt(2);
            w.WriteByte(count);
            results(ref w);
        });
}
