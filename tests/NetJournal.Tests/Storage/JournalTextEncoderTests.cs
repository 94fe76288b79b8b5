using System.Text;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Storage;

public class JournalTextEncoderTests
{
    /// <summary>
    /// Escaped characters and their harmless neighbours that share a lead byte in UTF-8 (C2, D8, E2): “quotes”, °,
    /// ©, Arabic, arrows and box drawing beside C1 controls, U+061C, separators and bidi marks.
    /// </summary>
    private static readonly Gen<string> TrickyText = Gen.Select(
        Gen.Char["ab 日志é\"\\\u001b\t\0\u007f\u0080\u0085\u009f\u00a0\u00b0\u00a9\u061b\u061c\u061d\u0600\u200d\u200e\u200f\u2010\u201c\u201d\u2028\u2029\u202a\u202e\u202f\u2066\u2069\u206a\u2190\u2500\u20ac"].Array[0, 24],
        Gen.OneOf("", "🙂", "😀👍"),
        (chars, emoji) => new string(chars) + emoji);

    [Fact]
    public void The_utf8_scan_finds_the_character_the_utf16_scan_finds()
    {
        TrickyText.Sample(text =>
        {
            var index16 = JournalTextEncoder.Instance.FindFirstCharacterToEncode(text);
            var expected = index16 < 0 ? -1 : Encoding.UTF8.GetByteCount(text.AsSpan(0, index16));
            Assert.Equal(expected, JournalTextEncoder.Instance.FindFirstCharacterToEncodeUtf8(Encoding.UTF8.GetBytes(text)));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("部署完成 “quoted” 30°C © ←→ ─", -1)]
    [InlineData("abc\u0085", 3)]
    [InlineData("日\u2028", 3)]
    [InlineData("\u202e", 0)]
    [InlineData("é\u061c", 2)]
    public void The_utf8_scan_passes_over_other_scripts_and_stops_at_escaped_characters(string text, int expected)
    {
        Assert.Equal(expected, JournalTextEncoder.Instance.FindFirstCharacterToEncodeUtf8(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Invalid_utf8_is_reported_where_it_starts()
    {
        Assert.Equal(2, JournalTextEncoder.Instance.FindFirstCharacterToEncodeUtf8([(byte)'o', (byte)'k', 0xE5, 0xA5]));
    }
}
