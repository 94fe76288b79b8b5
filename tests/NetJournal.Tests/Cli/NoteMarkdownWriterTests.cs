using System.Net;
using System.Text.RegularExpressions;
using NetJournal.Cli.Output;

namespace NetJournal.Tests.Cli;

/// <summary>The name in Markdown output stays bold whatever spaces it starts or ends with.</summary>
public sealed partial class NoteMarkdownWriterTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData(" alice", "&#32;alice")]
    [InlineData("alice  ", "alice&#32;&#32;")]
    [InlineData("\u00a0bob\u3000", "&#160;bob&#12288;")]
    [InlineData("   ", "&#32;&#32;&#32;")]
    [InlineData("a b", "a b")]
    [InlineData(" *x* ", @"&#32;\*x\*&#32;")]
    public void Whitespace_at_either_end_of_a_name_is_a_character_reference(string name, string expected) =>
        Assert.Equal(expected, NoteMarkdownWriter.EscapeName(name));

    [Theory]
    [InlineData(" alice")]
    [InlineData("alice ")]
    [InlineData("  王五  ")]
    [InlineData("\tx")]
    public void The_strong_span_follows_the_CommonMark_flanking_rules_and_reads_back_as_the_name(string name)
    {
        var line = "- 12:00:00 **" + NoteMarkdownWriter.EscapeName(name) + "** (127.0.0.1:1, #1) text";
        var inside = Strong().Match(line).Groups[1].Value;
        // A left-flanking opening run is not followed by whitespace; a right-flanking closing run not preceded by it.
        Assert.False(char.IsWhiteSpace(inside[0]));
        Assert.False(char.IsWhiteSpace(inside[^1]));
        // Character references and backslash escapes decoded, as a CommonMark renderer does: the (sanitised) name.
        Assert.Equal(TerminalText.Sanitize(name), WebUtility.HtmlDecode(Regex.Replace(inside, @"\\(.)", "$1")));
    }

    [GeneratedRegex(@"^- \d\d:\d\d:\d\d \*\*(.+?)\*\* \(")]
    private static partial Regex Strong();
}
