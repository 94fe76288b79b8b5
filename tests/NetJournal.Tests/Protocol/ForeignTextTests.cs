using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class ForeignTextTests
{
    private static readonly Encoding Gb18030 = CreateGb18030();

    private static Encoding CreateGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p switch { string s => Encoding.UTF8.GetBytes(s), byte b => [b], byte[] a => a, _ => throw new ArgumentException("part") }).ToArray();

    [Fact]
    public void Valid_utf8_stays_utf8() =>
        Assert.Equal("plain ✓ 你好 🙂", ForeignText.Decode(Bytes("plain ✓ 你好 🙂")));

    [Fact]
    public void One_byte_that_is_not_utf8_is_replaced_and_the_utf8_around_it_is_kept() =>
        // The whole datagram as GB18030 would be "浣犲ソ caf?": the trailing E9 starts a two-byte character that never ends.
        Assert.Equal("你好 caf\uFFFD", ForeignText.Decode(Bytes("你好 caf", (byte)0xE9)));

    [Theory]
    [InlineData("你好")]
    [InlineData("你好，世界")]
    [InlineData("纯文本 from GB2312 senders")]
    public void A_datagram_that_is_all_gb18030_and_not_utf8_is_decoded_as_gb18030(string text) =>
        Assert.Equal(text, ForeignText.Decode(Gb18030.GetBytes(text)));

    [Fact]
    public void Bytes_that_are_neither_encoding_become_utf8_with_replacement_characters()
    {
        Assert.Equal("a\uFFFDb", ForeignText.Decode(Bytes("a", (byte)0xFF, "b")));
        Assert.Equal("\uFFFD", ForeignText.Decode([0x80]));
        Assert.Equal("ok \uFFFD", ForeignText.Decode(Bytes("ok ", (byte)0xC4)));
    }

    [Fact]
    public void Empty_is_empty() => Assert.Equal("", ForeignText.Decode([]));

    [Theory]
    [InlineData("text\r\n", "text")]
    [InlineData("text\0", "text")]
    [InlineData("text\n\0\r\n\0", "text")]
    [InlineData("te\0xt\n", "te\0xt")]
    [InlineData("\r\n\0", "")]
    [InlineData("\ntext", "\ntext")]
    public void Trailing_nul_cr_and_lf_are_trimmed(string datagram, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(ForeignText.TrimEnd(Encoding.UTF8.GetBytes(datagram))));

    [Fact]
    public void Only_a_leading_bom_is_trimmed()
    {
        Assert.Equal("text", Encoding.UTF8.GetString(ForeignText.TrimBom(Bytes((byte)0xEF, (byte)0xBB, (byte)0xBF, "text"))));
        Assert.Equal("a\uFEFFb", Encoding.UTF8.GetString(ForeignText.TrimBom(Bytes("a\uFEFFb"))));
        Assert.Equal([0xEF, 0xBB], ForeignText.TrimBom([0xEF, 0xBB]).ToArray());
    }
}
