using System.Buffers;
using System.Globalization;
using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// Makes stored text safe to show on a terminal: control characters (C0, DEL and C1, which could move the cursor,
/// set the title, clear the screen, recolour the text or fake a new line) and bidirectional controls (which could
/// disguise text) become visible escapes: <c>\t</c>, <c>\r</c>, <c>\n</c>, <c>\xHH</c> for the other controls and
/// <c>\uHHHH</c> for the bidirectional ones. The journal keeps the exact text; only what is shown is escaped.
/// The one rule for every text output: the command line's and the plain-text <c>r</c> reply's.
/// </summary>
public static class TextEscaping
{
    /// <summary><paramref name="text"/> with every character described above escaped; the same string when there is none.</summary>
    public static string Escape(string text)
    {
        if (!NeedsEscaping(text)) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c < 0x20 || c is >= '\u007f' and <= '\u009f') sb.Append(c switch { '\t' => "\\t", '\r' => "\\r", '\n' => "\\n", _ => $"\\x{(int)c:x2}" });
            else if (IsBidiControl(c)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    // One vectorised scan: this runs for every printed note.
    private static bool NeedsEscaping(string text) => text.AsSpan().IndexOfAny(Escaped) >= 0;

    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => c < 0x20 || c is >= '\u007f' and <= '\u009f' || IsBidiControl(c))]);

    // Embeddings, overrides and isolates, plus the marks: the characters of "Trojan Source" (CVE-2021-42574).
    private static bool IsBidiControl(char c) => c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f' or '\u061c';
}
