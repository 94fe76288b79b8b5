using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class ForeignNoteRulesTests
{
    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    [Fact]
    public void A_5000_byte_text_is_cut_to_exactly_the_limit_and_ends_with_the_count_of_bytes_left_out()
    {
        var text = ForeignNoteRules.CutText(Encoding.UTF8.GetBytes(new string('x', 5000)));

        // 4,076 bytes kept, 924 left out, and the 20-byte mark: 4,096 in all.
        Assert.Equal(new string('x', 4076) + "… [cut: 924 bytes]", text);
        Assert.Equal(ProtocolConstants.MaxNoteBytes, Bytes(text));
        Assert.Equal(ErrorCode.None, NoteRules.Check(text));
    }

    [Fact]
    public void A_text_of_multibyte_characters_is_cut_between_characters()
    {
        var original = string.Concat(Enumerable.Repeat("中🙂", 500)); // 3,500 bytes
        original += original; // 7,000 bytes
        var text = ForeignNoteRules.CutText(original);

        Assert.InRange(Bytes(text), ProtocolConstants.MaxNoteBytes - 4, ProtocolConstants.MaxNoteBytes);
        var mark = text.IndexOf('…', StringComparison.Ordinal);
        Assert.StartsWith(text[..mark], original, StringComparison.Ordinal);
        Assert.Equal($"… [cut: {Bytes(original) - Bytes(text[..mark])} bytes]", text[mark..]);
        Assert.DoesNotContain('\uFFFD', text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void A_text_within_the_limit_is_kept_whole(int length)
    {
        var original = new string('y', length);
        Assert.Equal(original, ForeignNoteRules.CutText(original));
        Assert.Equal(original, ForeignNoteRules.CutText(Encoding.UTF8.GetBytes(original)));
        Assert.False(ForeignNoteRules.IsTooLong(original));
    }

    [Fact]
    public void A_4097_byte_text_is_too_long_and_cut()
    {
        var original = new string('z', 4097);
        Assert.True(ForeignNoteRules.IsTooLong(original));
        Assert.EndsWith("… [cut: 20 bytes]", ForeignNoteRules.CutText(original), StringComparison.Ordinal);
        Assert.Equal(ProtocolConstants.MaxNoteBytes, Bytes(ForeignNoteRules.CutText(original)));
    }

    [Fact]
    public void A_200_byte_name_is_cut_to_128_bytes()
    {
        var name = new string('h', 200);
        Assert.Equal(new string('h', 128), ForeignNoteRules.CutName(name));
        Assert.Equal(ErrorCode.None, NoteRules.CheckName(ForeignNoteRules.CutName(name)));
    }

    [Fact]
    public void A_name_is_cut_between_characters()
    {
        var name = "a" + string.Concat(Enumerable.Repeat("名", 60)); // 181 bytes
        var cut = ForeignNoteRules.CutName(name);
        // "a" and 42 characters of 3 bytes are 127 bytes; the 43rd would make 130.
        Assert.Equal("a" + string.Concat(Enumerable.Repeat("名", 42)), cut);
        Assert.Equal("abc", ForeignNoteRules.CutName("abc"));
    }
}
