using System.Text;

namespace NetJournal.Server.Bot;

/// <summary>
/// Makes the stored note of an answer: one line (line breaks become a space, other control characters, bidirectional
/// overrides and zero-width marks are removed, runs of spaces collapse) of at most 4,096 bytes of UTF-8, cut on a
/// character boundary with "…" when it was longer. A note is one line (<see cref="NetJournal.Protocol.NoteRules"/>), and a
/// model's answer is untrusted text that must not move a reader's cursor.
/// </summary>
public static class AnswerText
{
    public const int MaxBytes = NetJournal.Protocol.ProtocolConstants.MaxNoteBytes;

    public static string Flatten(string answer, int maxBytes = MaxBytes)
    {
        var text = new StringBuilder(Math.Min(answer.Length, maxBytes));
        var space = false;
        foreach (var rune in answer.EnumerateRunes())
        {
            if (rune.Value is '\r' or '\n' or '\t' or '\u2028' or '\u2029' || Rune.IsWhiteSpace(rune))
            {
                space = text.Length > 0;
                continue;
            }
            if (Rune.IsControl(rune) || IsInvisibleFormat(rune.Value)) continue;
            if (space) text.Append(' ');
            space = false;
            text.Append(rune.ToString());
        }
        return Cut(text.ToString(), maxBytes);
    }

    /// <summary>Bidirectional embeddings, overrides and isolates, and the byte-order mark: they could disguise a line.</summary>
    private static bool IsInvisibleFormat(int c) => c is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0xFEFF or 0x200E or 0x200F;

    /// <summary>At most <paramref name="maxBytes"/> bytes of UTF-8, cut between characters and marked with "…" when cut.</summary>
    public static string Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        const string mark = "…";
        var budget = maxBytes - Encoding.UTF8.GetByteCount(mark);
        var used = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget) break;
            used += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }
        return text[..end].TrimEnd() + mark;
    }
}
