using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class NoteRulesTests
{
    private static ErrorCode CheckBytes(string text) => NoteRules.Check(Encoding.UTF8.GetBytes(text).AsSpan());

    [Fact]
    public void Empty_note_is_refused()
    {
        Assert.Equal(ErrorCode.EmptyNote, NoteRules.Check(ReadOnlySpan<byte>.Empty));
        Assert.Equal(ErrorCode.EmptyNote, NoteRules.Check(""));
    }

    [Theory]
    [InlineData("今天天气很好 🙂")]
    [InlineData("x")]
    [InlineData("emoji only 😀👍💾")]
    [InlineData("tab\tand escape \u001b[31m and NUL \0 are one line")]
    [InlineData("中文，标点。")]
    public void One_line_utf8_note_is_accepted(string text)
    {
        Assert.Equal(ErrorCode.None, CheckBytes(text));
        Assert.Equal(ErrorCode.None, NoteRules.Check(text));
    }

    [Fact]
    public void Note_of_exactly_4096_bytes_is_accepted()
    {
        var ascii = new string('a', 4096);
        var chinese = new string('好', 1365) + "a"; // 1365 * 3 + 1 = 4096 bytes

        Assert.Equal(4096, Encoding.UTF8.GetByteCount(chinese));
        Assert.Equal(ErrorCode.None, CheckBytes(ascii));
        Assert.Equal(ErrorCode.None, NoteRules.Check(ascii));
        Assert.Equal(ErrorCode.None, CheckBytes(chinese));
        Assert.Equal(ErrorCode.None, NoteRules.Check(chinese));
    }

    [Fact]
    public void Note_of_4097_bytes_is_refused_as_too_long()
    {
        var ascii = new string('a', 4097);
        var chinese = new string('好', 1365) + "ab"; // 4097 bytes but only 1367 UTF-16 units

        Assert.Equal(ErrorCode.NoteTooLong, CheckBytes(ascii));
        Assert.Equal(ErrorCode.NoteTooLong, NoteRules.Check(ascii));
        Assert.Equal(ErrorCode.NoteTooLong, CheckBytes(chinese));
        Assert.Equal(ErrorCode.NoteTooLong, NoteRules.Check(chinese));
    }

    [Fact]
    public void Emoji_that_cross_the_limit_are_counted_as_four_bytes()
    {
        var fits = new string('a', 4092) + "🙂";
        var over = new string('a', 4093) + "🙂";

        Assert.Equal(ErrorCode.None, NoteRules.Check(fits));
        Assert.Equal(ErrorCode.NoteTooLong, NoteRules.Check(over));
        Assert.Equal(ErrorCode.NoteTooLong, CheckBytes(over));
    }

    [Theory]
    [InlineData("第一行\n第二行")]
    [InlineData("第一行\r第二行")]
    [InlineData("windows\r\n")]
    [InlineData("\n")]
    [InlineData("trailing newline 🙂\n")]
    public void Note_with_a_line_break_is_refused(string text)
    {
        Assert.Equal(ErrorCode.NotOneLine, CheckBytes(text));
        Assert.Equal(ErrorCode.NotOneLine, NoteRules.Check(text));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x61, 0xC3 })]              // truncated two-byte sequence
    [InlineData(new byte[] { 0xE5, 0xA5 })]              // "好" cut short
    [InlineData(new byte[] { 0xC0, 0xAF })]              // over-long "/"
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]        // UTF-16 surrogate encoded in UTF-8
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]  // above U+10FFFF
    [InlineData(new byte[] { 0xFE, 0x4E, 0x4A })]        // NetJournal magic is not text
    public void Invalid_utf8_bytes_are_refused(byte[] bytes)
    {
        Assert.Equal(ErrorCode.InvalidUtf8, NoteRules.Check(bytes.AsSpan()));
    }

    [Fact]
    public void Lone_surrogate_in_a_string_is_refused_as_invalid_utf8()
    {
        Assert.Equal(ErrorCode.InvalidUtf8, NoteRules.Check("broken \uD83D emoji"));
    }

    [Fact]
    public void Check_name_accepts_one_line_names_up_to_128_bytes()
    {
        Assert.Equal(ErrorCode.None, NoteRules.CheckName("办公室电脑"));
        Assert.Equal(ErrorCode.None, NoteRules.CheckName("laptop 🙂"));
        Assert.Equal(ErrorCode.None, NoteRules.CheckName(new string('n', 128)));
        Assert.Equal(ErrorCode.None, NoteRules.CheckName(new string('名', 42) + "ab")); // 128 bytes
    }

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    [InlineData("cr\r")]
    public void Check_name_refuses_empty_multi_line_and_invalid_names(string name)
    {
        Assert.Equal(ErrorCode.BadName, NoteRules.CheckName(name));
    }

    [Fact]
    public void Check_name_refuses_a_lone_surrogate()
    {
        // A fact, not inline data: theory arguments are serialized, which would replace the lone surrogate.
        Assert.Equal(ErrorCode.BadName, NoteRules.CheckName("lone \uDC00 surrogate"));
    }

    [Fact]
    public void Check_name_refuses_names_over_128_bytes()
    {
        Assert.Equal(ErrorCode.BadName, NoteRules.CheckName(new string('n', 129)));
        Assert.Equal(ErrorCode.BadName, NoteRules.CheckName(new string('名', 43))); // 129 bytes in 43 characters
    }

    [Fact]
    public void Every_error_code_has_a_description()
    {
        foreach (var code in Enum.GetValues<ErrorCode>())
            Assert.DoesNotContain("error ", ErrorText.Describe(code), StringComparison.Ordinal);
        Assert.Contains("4096", ErrorText.Describe(ErrorCode.NoteTooLong), StringComparison.Ordinal);
        Assert.Equal("error 200", ErrorText.Describe((ErrorCode)200));
    }
}
