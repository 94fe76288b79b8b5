using System.Globalization;
using System.Text;
using Wcwidth;

namespace NetJournal.Cli.Output;

/// <summary>
/// Columns a string takes on a terminal, measured per grapheme cluster (what a reader sees as one character, UAX #29):
/// a cluster is as wide as its first code point (CJK and emoji two, a combining mark alone none), and two when it asks
/// for emoji presentation with VS16 (U+FE0F). So an emoji family joined by ZWJ (👨‍👩‍👧), an emoji with a skin tone
/// (👍🏽) and a heart with VS16 (❤️) are two columns each, and e + U+0301 is one.
/// </summary>
public static class DisplayWidth
{
    private const char EmojiPresentation = '\uFE0F';

    public static int Of(string text)
    {
        if (IsPrintableAscii(text)) return text.Length;
        var width = 0;
        for (var i = 0; i < text.Length;)
        {
            var length = StringInfo.GetNextTextElementLength(text, i);
            width += ClusterWidth(text.AsSpan(i, length));
            i += length;
        }
        return width;
    }

    /// <summary>The text padded with spaces to <paramref name="columns"/>, or cut with an ellipsis to fit (never inside a cluster).</summary>
    public static string Pad(string text, int columns) => Pad(text, columns, Of(text));

    /// <summary>The same, for a text whose width (<see cref="Of"/>) is known.</summary>
    public static string Pad(string text, int columns, int width)
    {
        if (width <= columns) return text + new string(' ', columns - width);
        var sb = new StringBuilder();
        var used = 0;
        for (var i = 0; i < text.Length;)
        {
            var length = StringInfo.GetNextTextElementLength(text, i);
            var cluster = text.AsSpan(i, length);
            var w = ClusterWidth(cluster);
            if (used + w > columns - 1) break;
            sb.Append(cluster);
            used += w;
            i += length;
        }
        return sb.Append('…').Append(' ', columns - used - 1).ToString();
    }

    private static int ClusterWidth(ReadOnlySpan<char> cluster)
    {
        Rune.DecodeFromUtf16(cluster, out var first, out _);
        var width = Math.Max(0, UnicodeCalculator.GetWidth(first));
        return width < 2 && cluster.Contains(EmojiPresentation) ? 2 : width;
    }

    // Names are mostly ASCII: one cluster per character, one column each.
    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
            if (c is < ' ' or > '~') return false;
        return true;
    }
}
