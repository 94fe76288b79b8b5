using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// The text of datagrams from senders that do not speak NetJournal (plain-text notes and syslog MSG), whose
/// encoding nobody declares. The encoding is decided per datagram by evidence, so one stray byte never garbles
/// the valid text around it.
/// </summary>
public static class ForeignText
{
    // A noncharacter that no sender means as text: where the GB18030 decoder puts it, the bytes were not GB18030.
    private const char NotGb18030 = '\uFFFF';

    private static readonly Encoding Gb18030 = CreateGb18030();

    private static Encoding CreateGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        // A replacement rather than an exception: a flood of bad datagrams must not cost an exception each.
        return Encoding.GetEncoding("GB18030", EncoderFallback.ReplacementFallback, new DecoderReplacementFallback(NotGb18030.ToString()));
    }

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Decodes <paramref name="bytes"/>: valid UTF-8 as UTF-8; otherwise GB18030 (a superset of GB2312) if all of it
    /// decodes as GB18030 without an error; otherwise UTF-8 with each invalid sequence replaced by U+FFFD.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return "";
        if (Utf8Text.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        var gb18030 = Gb18030.GetString(bytes);
        if (gb18030.AsSpan().IndexOf(NotGb18030) < 0) return gb18030;
        // Encoding.UTF8 replaces what is not UTF-8 with U+FFFD (one per maximal invalid subsequence).
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// The datagram without what senders put after the text: trailing NUL (C senders that count the terminator,
    /// Python's <c>SysLogHandler</c>), CR and LF, in any mix.
    /// </summary>
    public static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> datagram)
    {
        var end = datagram.Length;
        while (end > 0 && datagram[end - 1] is 0 or (byte)'\r' or (byte)'\n') end--;
        return datagram[..end];
    }

    /// <summary>The text without a leading UTF-8 byte order mark (EF BB BF), which marks the encoding and is not text.</summary>
    public static ReadOnlySpan<byte> TrimBom(ReadOnlySpan<byte> text) => text.StartsWith(Bom) ? text[Bom.Length..] : text;
}
