using NetJournal.Cli.Output;

namespace NetJournal.Tests.Cli;

/// <summary>Columns on a terminal, per grapheme cluster: what lines up the name column of text output.</summary>
public sealed class DisplayWidthTests
{
    [Theory]
    [InlineData("alice", 5)]
    [InlineData("张三丰", 6)]
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467", 2)] // 👨‍👩‍👧, a family joined by ZWJ
    [InlineData("\U0001F44D\U0001F3FD", 2)] // 👍🏽, a skin tone
    [InlineData("\u2764\uFE0F", 2)] // ❤️, a heart with VS16
    [InlineData("\u2764", 1)] // ❤ without VS16 is text presentation
    [InlineData("e\u0301", 1)] // e and a combining acute accent
    [InlineData("\u0301", 0)] // a combining mark alone
    [InlineData("ana \U0001F468\u200D\U0001F469\u200D\U0001F467 李", 9)]
    public void A_cluster_is_as_wide_as_it_shows(string text, int columns) => Assert.Equal(columns, DisplayWidth.Of(text));

    [Fact]
    public void Padding_lines_up_names_of_every_kind()
    {
        string[] names = ["bob", "\U0001F468\u200D\U0001F469\u200D\U0001F467 fam", "\U0001F44D\U0001F3FD ok", "\u2764\uFE0F x", "Jose\u0301", "张三"];
        Assert.All(names, name => Assert.Equal(8, DisplayWidth.Of(DisplayWidth.Pad(name, 8))));
    }

    [Fact]
    public void A_name_cut_to_fit_is_cut_between_clusters()
    {
        var cut = DisplayWidth.Pad("ab\U0001F468\u200D\U0001F469\u200D\U0001F467cd", 5);
        Assert.Equal("ab\U0001F468\u200D\U0001F469\u200D\U0001F467…", cut);
        Assert.Equal(5, DisplayWidth.Of(cut));

        var shorter = DisplayWidth.Pad("ab\U0001F468\u200D\U0001F469\u200D\U0001F467cd", 4);
        Assert.Equal("ab… ", shorter);
    }
}
