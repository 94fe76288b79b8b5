using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class TextEscapingTests
{
    [Theory]
    [InlineData("\u001b[31mred", "\\x1b[31mred")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("del\u007f c1\u009b", "del\\x7f c1\\x9b")]
    [InlineData("\u202eexe.txt", "\\u202eexe.txt")]
    [InlineData("isolate\u2066x\u2069 mark\u200f", "isolate\\u2066x\\u2069 mark\\u200f")]
    [InlineData("NUL\0", "NUL\\x00")]
    public void Control_and_bidirectional_characters_become_visible_escapes(string text, string expected) =>
        Assert.Equal(expected, TextEscaping.Escape(text));

    [Fact]
    public void Text_without_them_is_returned_as_the_same_string()
    {
        const string text = "今天天气很好 🙂 plain text";
        Assert.Same(text, TextEscaping.Escape(text));
    }
}
