using System.Globalization;
using System.Text;

namespace NetJournal.Cli.Output;

/// <summary>
/// Makes stored text safe to print on a terminal: control characters (which could move the cursor, set the
/// title, clear the screen or fake a new line) and bidirectional overrides (which could disguise text) are
/// shown as visible escapes instead. The journal keeps the exact text; only the text output is escaped.
/// </summary>
public static class TerminalText
{
    public static string Sanitize(string text)
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

    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => c < 0x20 || c is >= '\u007f' and <= '\u009f' || IsBidiControl(c))]);

    // Embeddings, overrides and isolates, plus the marks: the characters of "Trojan Source" (CVE-2021-42574).
    private static bool IsBidiControl(char c) => c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f' or '\u061c';
}
