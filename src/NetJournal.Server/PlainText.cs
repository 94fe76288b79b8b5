using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// The classroom protocol's notes: a leading UTF-8 BOM and trailing NUL/CR/LF dropped, the rest decoded by
/// <see cref="ForeignText.Decode"/> (UTF-8, or GB18030 when all of it is GB18030, or UTF-8 with U+FFFD for bad bytes).
/// </summary>
public static class PlainText
{
    /// <summary>The note's text from its bytes as <see cref="Trim"/> returned them.</summary>
    public static string Decode(ReadOnlySpan<byte> body) => ForeignText.Decode(body);

    /// <summary>The note's bytes: the datagram without a leading UTF-8 BOM and without trailing NUL, CR and LF.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> datagram) => ForeignText.TrimEnd(ForeignText.TrimBom(datagram));
}
