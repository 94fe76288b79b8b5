using System.Text;
using Wcwidth;

namespace NetJournal.Cli.Output;

/// <summary>Columns a string takes on a terminal: CJK and emoji count two, combining marks none.</summary>
public static class DisplayWidth
{
    public static int Of(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes()) width += Math.Max(0, UnicodeCalculator.GetWidth(rune));
        return width;
    }

    /// <summary>The text padded with spaces to <paramref name="columns"/>, or cut with an ellipsis to fit.</summary>
    public static string Pad(string text, int columns) => Pad(text, columns, Of(text));

    /// <summary>The same, for a text whose width (<see cref="Of"/>) is known.</summary>
    public static string Pad(string text, int columns, int width)
    {
        if (width <= columns) return text + new string(' ', columns - width);
        var sb = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var w = Math.Max(0, UnicodeCalculator.GetWidth(rune));
            if (used + w > columns - 1) break;
            sb.Append(rune.ToString());
            used += w;
        }
        return sb.Append('…').Append(' ', columns - used - 1).ToString();
    }
}
