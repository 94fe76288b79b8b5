using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public sealed class RetryChallengeViewTests
{
    private static readonly byte[] FullToken = [.. Enumerable.Range(0, ProtocolConstants.MaxTokenBytes).Select(i => (byte)(i * 3))];

    [Fact]
    public void The_view_reads_every_field()
    {
        var datagram = MessageCodec.Encode(new RetryChallenge(0x01020304, FullToken));

        Assert.True(RetryChallengeView.TryRead(datagram, out var view));

        Assert.Equal(0x01020304U, view.RequestId);
        Assert.Equal(FullToken, view.Token.ToArray());
        Assert.True(view.Token.Overlaps(datagram), "the token is a span over the datagram, not a copy");
    }

    [Fact]
    public void An_empty_token_is_read_as_empty()
    {
        Assert.True(RetryChallengeView.TryRead(MessageCodec.Encode(new RetryChallenge(9, ReadOnlyMemory<byte>.Empty)), out var view));

        Assert.Equal(9U, view.RequestId);
        Assert.True(view.Token.IsEmpty);
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "header only", WireBuilder.Build(MessageType.RetryChallenge, (ref WireWriter w) => { }) },
        { "id cut short", WireBuilder.Build(MessageType.RetryChallenge, (ref WireWriter w) => { w.WriteByte(0); w.WriteByte(0); w.WriteByte(1); }) },
        { "token missing", WireBuilder.Build(MessageType.RetryChallenge, (ref WireWriter w) => w.WriteUInt32(1)) },
        { "token of 65 bytes", WireBuilder.Build(MessageType.RetryChallenge, (ref WireWriter w) => { w.WriteUInt32(1); WireBuilder.WriteRun(ref w, 65); }) },
        { "token longer than the datagram", WireBuilder.Build(MessageType.RetryChallenge, (ref WireWriter w) => { w.WriteUInt32(1); w.WriteVarUInt(4); w.WriteByte(1); }) },
        { "trailing byte", [.. MessageCodec.Encode(new RetryChallenge(1, FullToken)), 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_challenges_are_refused_by_the_view_and_the_decoder(string name, byte[] datagram)
    {
        Assert.False(RetryChallengeView.TryRead(datagram, out _), name);
        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(datagram, out _));
    }

    [Fact]
    public void Other_datagrams_are_not_retry_challenges()
    {
        Assert.False(RetryChallengeView.TryRead(MessageCodec.Encode(new ClientsRequest(1, FullToken, 0, 512)), out _));
        Assert.False(RetryChallengeView.TryRead([0xFE, (byte)'N', (byte)'J', 1, (byte)MessageType.RetryChallenge], out _));
    }

    [Fact]
    public void Generated_challenges_read_back_field_by_field()
    {
        ViewGen.RetryChallenge.Sample(challenge =>
        {
            Assert.True(RetryChallengeView.TryRead(MessageCodec.Encode(challenge), out var view));
            ViewAssert.Same(challenge, view);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void The_view_accepts_exactly_what_the_decoder_decodes_as_a_retry_challenge()
    {
        ViewGen.CheckAgreement(ViewGen.Around(ViewGen.RetryChallenge, MessageType.RetryChallenge), Agrees);
    }

    private static bool Agrees(byte[] datagram)
    {
        var decoded = MessageCodec.TryDecode(datagram, out var message) == DecodeStatus.Ok && message is RetryChallenge;
        Assert.Equal(decoded, RetryChallengeView.TryRead(datagram, out var view));
        if (decoded) ViewAssert.Same((RetryChallenge)message!, view);
        return decoded;
    }
}
