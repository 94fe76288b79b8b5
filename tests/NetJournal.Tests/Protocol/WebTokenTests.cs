using NetJournal.Protocol.Sealing;

namespace NetJournal.Tests.Protocol;

/// <summary>The web view's token (<see cref="WebToken"/>): golden values computed apart (Python's hmac), and what is not a token.</summary>
public sealed class WebTokenTests
{
    /// <summary>The key whose bytes are 0, 1, …, 31.</summary>
    private static readonly ClientKey Key = ClientKey.TryParse("nj1-AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")!;

    [Theory]
    [InlineData("alice", "alice.P3k5GlGjTUMeyj9_28XmPqW1cnIyf7RVVMRYhmP5YCU")]
    [InlineData("张三", "%E5%BC%A0%E4%B8%89.JLXYzt6W_kkgdNXgcAYYZVnxlTuNC37dF55u8BIrH7w")]
    [InlineData("a.b", "a.b.ifd0x-r_a4uTJHUxVo_fRvLb-3q1EWIP9v1l4fHf_Co")]
    public void A_token_is_the_name_and_the_hmac_of_label_and_name_under_the_key(string name, string token)
    {
        Assert.Equal(token, WebToken.Derive(name, Key));
        Assert.True(WebToken.TrySplit(token, out var claimed, out var mac));
        Assert.Equal(name, claimed);
        Assert.True(WebToken.Matches(claimed, mac, Key));
    }

    [Fact]
    public void A_token_holds_neither_the_key_nor_anything_that_matches_under_another_key_or_name()
    {
        var token = WebToken.Derive("alice", Key);
        Assert.DoesNotContain(Key.ToString()[4..], token, StringComparison.Ordinal);
        Assert.True(WebToken.TrySplit(token, out _, out var mac));
        Assert.False(WebToken.Matches("alice", mac, ClientKey.Generate()));
        Assert.False(WebToken.Matches("alicf", mac, Key));
        // Every bit of the MAC counts.
        for (var bit = 0; bit < mac.Length * 8; bit += 37)
        {
            var flipped = (byte[])mac.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(WebToken.Matches("alice", flipped, Key));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData(".P3k5GlGjTUMeyj9_28XmPqW1cnIyf7RVVMRYhmP5YCU")]
    [InlineData("alice.P3k5GlGjTUMeyj9_28XmPqW1cnIyf7RVVMRYhmP5YC")]
    [InlineData("alice.P3k5GlGjTUMeyj9_28XmPqW1cnIyf7RVVMRYhmP5YCU=")]
    [InlineData("alice.P3k5GlGjTUMeyj9/28XmPqW1cnIyf7RVVMRYhmP5YCU")]
    [InlineData("nj1-AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")]
    public void What_is_not_name_dot_43_characters_of_base64url_is_not_a_token(string text) =>
        Assert.False(WebToken.TrySplit(text, out _, out _));
}
