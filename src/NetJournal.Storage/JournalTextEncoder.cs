using System.Text;
using System.Text.Encodings.Web;

namespace NetJournal.Storage;

/// <summary>
/// Escapes in the journal only what JSON requires plus what could act on a terminal (controls, C1 controls,
/// bidirectional overrides, line and paragraph separators), and keeps every other character as raw UTF-8,
/// emoji included, so `grep 🙂 journal.jsonl` finds what was typed. The built-in relaxed encoder escapes every
/// character outside the Basic Multilingual Plane.
/// </summary>
public sealed class JournalTextEncoder : JavaScriptEncoder
{
    public static readonly JournalTextEncoder Instance = new();

    private JournalTextEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 12;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar is '"' or '\\' or (>= 0x7F and <= 0x9F)
        || unicodeScalar is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C or 0x2028 or 0x2029
        || unicodeScalar is (>= 0xD800 and <= 0xDFFF) or > 0x10FFFF;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        // Most notes are printable ASCII: two vectorised scans settle them without the large character set.
        var offset = span.IndexOfAnyExceptInRange(' ', '~');
        var quote = (offset < 0 ? span : span[..offset]).IndexOfAny('"', '\\');
        if (quote >= 0) return quote;
        if (offset < 0) return -1;
        while (true)
        {
            // Vectorised search for anything that may need escaping; surrogates are fine when they pair up.
            var found = span[offset..].IndexOfAny(MaybeEscaped);
            if (found < 0) return -1;
            var i = offset + found;
            var c = span[i];
            if (!char.IsSurrogate(c)) return i;
            if (!char.IsHighSurrogate(c) || i + 1 >= span.Length || !char.IsLowSurrogate(span[i + 1])) return i;
            offset = i + 2;
        }
    }

    private static readonly System.Buffers.SearchValues<char> MaybeEscaped = System.Buffers.SearchValues.Create(MaybeEscapedChars());

    private static string MaybeEscapedChars()
    {
        var chars = new StringBuilder();
        for (var c = 0; c <= 0xFFFF; c++)
            if (c is >= 0xD800 and <= 0xDFFF || Instance.WillEncode(c)) chars.Append((char)c);
        return chars.ToString();
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        string escaped = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when unicodeScalar <= 0xFFFF => $"\\u{unicodeScalar:X4}",
            _ => new Rune(unicodeScalar).Utf16SequenceLength == 2
                ? $"\\u{(int)char.ConvertFromUtf32(unicodeScalar)[0]:X4}\\u{(int)char.ConvertFromUtf32(unicodeScalar)[1]:X4}"
                : "",
        };
        if (escaped.Length > destination.Length)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        escaped.CopyTo(destination);
        numberOfCharactersWritten = escaped.Length;
        return true;
    }
}
