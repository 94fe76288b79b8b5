using System.Text;
using System.Text.Encodings.Web;

namespace NetJournal.Protocol;

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

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirstCharacterToEncode(new ReadOnlySpan<char>(text, textLength));

    /// <summary>The index of the first character this encoder escapes, or -1 when the text is written as it is.</summary>
    public int FindFirstCharacterToEncode(ReadOnlySpan<char> span)
    {
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

    /// <summary>
    /// The same for UTF-8 (the JSON writer asks this for UTF-8 values). The base class asks per character; here one
    /// vectorised scan passes over ASCII and most other scripts, since every escaped character is ASCII or starts
    /// with one of three lead bytes (C2: C1 controls, D8: U+061C, E2: the separators and bidi marks near U+2000).
    /// </summary>
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Text)) return base.FindFirstCharacterToEncodeUtf8(utf8Text);
        var offset = 0;
        while (true)
        {
            var found = utf8Text[offset..].IndexOfAny(MaybeEscapedUtf8);
            if (found < 0) return -1;
            var i = offset + found;
            if (utf8Text[i] < 0x80) return i;
            Rune.DecodeFromUtf8(utf8Text[i..], out var rune, out var length);
            if (WillEncode(rune.Value)) return i;
            offset = i + length;
        }
    }

    private static readonly System.Buffers.SearchValues<byte> MaybeEscapedUtf8 = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', 0x7F, 0xC2, 0xD8, 0xE2]);

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
