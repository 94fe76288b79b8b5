using System.Text;
using NetJournal.Server.Bot;

namespace NetJournal.Tests.Server.Bot;

/// <summary>The stored note of an answer: one line, no control characters, at most 4,096 bytes cut between characters.</summary>
public sealed class AnswerTextTests
{
    [Theory]
    [InlineData("line one\nline two\r\n\r\nthree", "line one line two three")]
    [InlineData("  tabs\tand   spaces  ", "tabs and spaces")]
    [InlineData("bell\u0007 escape\u001b[2J and \u202eoverride", "bell escape[2J and override")]
    [InlineData("你好\n世界", "你好 世界")]
    public void An_answer_becomes_one_clean_line(string answer, string note)
    {
        Assert.Equal(note, AnswerText.Flatten(answer));
    }

    [Fact]
    public void A_long_answer_is_cut_on_a_character_boundary_to_4096_bytes()
    {
        var answer = string.Concat(Enumerable.Repeat("汉字🙂", 1000));
        var note = AnswerText.Flatten(answer);
        var bytes = Encoding.UTF8.GetByteCount(note);
        Assert.InRange(bytes, 4096 - 7, 4096);
        Assert.EndsWith("…", note);
        Assert.Equal(note, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(note)));
        Assert.False(char.IsHighSurrogate(note[^2]));
    }
}
