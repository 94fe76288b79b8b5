using System.Text;

namespace NetJournal.Protocol;

/// <summary>Strict UTF-8: invalid bytes are refused, never replaced.</summary>
public static class Utf8Text
{
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsValid(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string value)
    {
        if (!IsValid(bytes)) { value = ""; return false; }
        value = bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes);
        return true;
    }
}
