using System.Security.Cryptography;
using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Tests.Protocol;

public sealed class SealingTests
{
    private static readonly byte[] Plain = MessageCodec.Encode(new AppendRequest(7, 1, 1, "alice", [new byte[] { 1, 2, 3 }]) { AcceptsHeld = true });

    [Fact]
    public void A_sealed_datagram_opens_to_exactly_the_plain_one()
    {
        var keys = SessionKeys.Derive(ClientKey.Generate(), new byte[32], RandomNumberGenerator.GetBytes(32), 42);
        using var aead = new ChaCha20Poly1305(keys.ClientToServer);
        var sealedBytes = new byte[Plain.Length + SealedDatagram.Overhead];
        Assert.Equal(sealedBytes.Length, SealedDatagram.Seal(aead, 42, 5, Plain, sealedBytes));
        Assert.True(SealedDatagram.IsSealed(sealedBytes));
        Assert.Equal((42UL, 5UL), SealedDatagram.ReadIds(sealedBytes));

        var opened = new byte[sealedBytes.Length];
        Assert.True(SealedDatagram.TryOpen(aead, sealedBytes, opened, out var length));
        Assert.Equal(Plain, opened[..length]);
    }

    [Fact]
    public void Every_flipped_bit_and_the_other_direction_s_key_fail_to_open()
    {
        var keys = SessionKeys.Derive(ClientKey.Generate(), new byte[32], new byte[32], 1);
        using var aead = new ChaCha20Poly1305(keys.ClientToServer);
        using var other = new ChaCha20Poly1305(keys.ServerToClient);
        var sealedBytes = new byte[Plain.Length + SealedDatagram.Overhead];
        SealedDatagram.Seal(aead, 1, 0, Plain, sealedBytes);
        var opened = new byte[sealedBytes.Length];
        Assert.False(SealedDatagram.TryOpen(other, sealedBytes, opened, out _));
        for (var bit = 0; bit < sealedBytes.Length * 8; bit++)
        {
            var changed = (byte[])sealedBytes.Clone();
            changed[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SealedDatagram.TryOpen(aead, changed, opened, out _), $"bit {bit}");
        }
    }

    [Fact]
    public void Sessions_of_one_key_have_different_keys_and_directions_differ()
    {
        var key = ClientKey.Generate();
        var a = SessionKeys.Derive(key, new byte[32], RandomNumberGenerator.GetBytes(32), 1);
        var b = SessionKeys.Derive(key, new byte[32], RandomNumberGenerator.GetBytes(32), 1);
        Assert.NotEqual(a.ClientToServer, b.ClientToServer);
        Assert.NotEqual(a.ClientToServer, a.ServerToClient);
    }

    [Fact]
    public void The_handshake_verifies_under_its_key_only()
    {
        var key = ClientKey.Generate();
        var init = new byte[SessionHandshake.InitSize];
        SessionHandshake.WriteInit(key, RandomNumberGenerator.GetBytes(32), init);
        Assert.True(SessionHandshake.VerifyInit(key, init));
        Assert.False(SessionHandshake.VerifyInit(ClientKey.Generate(), init));
        Assert.Equal(key.Id, SessionHandshake.InitKeyId(init).ToArray());

        var accept = new byte[SessionHandshake.AcceptSize];
        SessionHandshake.WriteAccept(key, init, 99, new byte[32], accept);
        Assert.True(SessionHandshake.TryReadAccept(key, init, accept, out var id, out _));
        Assert.Equal(99UL, id);
        var otherInit = (byte[])init.Clone();
        otherInit[30] ^= 1;
        Assert.False(SessionHandshake.TryReadAccept(key, otherInit, accept, out _, out _));
        Assert.True(SessionHandshake.AcceptSize < SessionHandshake.InitSize);
    }

    [Fact]
    public void A_key_reads_back_from_its_text_and_compares_in_constant_time()
    {
        var key = ClientKey.Generate();
        var again = ClientKey.TryParse(key.ToString());
        Assert.NotNull(again);
        Assert.True(key.SameAs(again));
        Assert.False(key.SameAs(ClientKey.Generate()));
        Assert.Null(ClientKey.TryParse("nj1-short"));
        Assert.Null(ClientKey.TryParse(key.ToString()[4..]));
    }

    [Fact]
    public void The_replay_window_takes_each_counter_once_and_nothing_below_it()
    {
        var window = new ReplayWindow();
        foreach (var c in new ulong[] { 0, 2, 1, 5000 })
        {
            Assert.True(window.Check(c));
            window.Mark(c);
            Assert.False(window.Check(c));
        }
        Assert.False(window.Check(5000 - ReplayWindow.Size));
        Assert.True(window.Check(4999));
        Assert.False(window.Check(2));
        window.Mark(100_000);
        Assert.False(window.Check(5000));
        Assert.True(window.Check(99_999));
    }

    [Fact]
    public void A_sealed_history_request_costs_a_quarter_as_a_plain_one_with_a_token_does()
    {
        var request = MessageCodec.Encode(new HistoryRequest(1, new byte[16], 0, 0, 1232, HistoryFilter.None));
        using var aead = new ChaCha20Poly1305(new byte[32]);
        var sealedBytes = new byte[request.Length + SealedDatagram.Overhead];
        SealedDatagram.Seal(aead, 1, 0, request, sealedBytes);
        Assert.Equal(RateCost.Of(request), RateCost.Of(sealedBytes));
    }
}
