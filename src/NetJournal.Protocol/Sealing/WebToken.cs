using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NetJournal.Protocol.Sealing;

/// <summary>
/// The web view's token for a keyed client (docs/keys.md, "The web view's token"): <c>NAME.MAC</c>, where NAME is the
/// client's name percent-encoded (RFC 3986 unreserved characters stay as they are, so an ASCII name reads as itself and
/// every token fits an HTTP header) and MAC is base64url without padding (RFC 4648 §5) of
/// HMAC-SHA256(key, "netjournal web token v1" || UTF-8(NAME)) (RFC 2104). It is derived from the key, never the key:
/// a leaked token opens the web view as that one name, and neither reveals the key nor lets anyone seal a datagram
/// (the session keys come from the key through HKDF under other labels, protocol.md §8). It does not expire; a new key
/// (or the client taken out of the clients file) ends it.
/// </summary>
public static class WebToken
{
    /// <summary>Bytes of the MAC (HMAC-SHA256).</summary>
    public const int MacSize = 32;

    /// <summary>Characters of the MAC in the token: 32 bytes in base64url without padding.</summary>
    public const int MacTextLength = 43;

    /// <summary>The label before the name in the MAC's input: fixed, so the input is unambiguous, and versioned.</summary>
    private static readonly byte[] Label = "netjournal web token v1"u8.ToArray();

    /// <summary>The token of <paramref name="name"/> under <paramref name="key"/>: <c>NAME.MAC</c> as the class says.</summary>
    public static string Derive(string name, ClientKey key) =>
        Uri.EscapeDataString(name) + "." + Base64Url.EncodeToString(Mac(name, key));

    /// <summary>HMAC-SHA256(key, "netjournal web token v1" || UTF-8(<paramref name="name"/>)), 32 bytes.</summary>
    public static byte[] Mac(string name, ClientKey key)
    {
        var input = new byte[Label.Length + Encoding.UTF8.GetByteCount(name)];
        Label.CopyTo(input, 0);
        Encoding.UTF8.GetBytes(name, input.AsSpan(Label.Length));
        return HMACSHA256.HashData(key.Bytes, input);
    }

    /// <summary>
    /// Splits <paramref name="token"/> into the name it claims and its MAC; false when it is not of the form
    /// <c>NAME.MAC</c> (a name may hold dots: the last dot separates, base64url has none).
    /// </summary>
    public static bool TrySplit(string token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? mac)
    {
        name = null;
        mac = null;
        var dot = token.LastIndexOf('.');
        if (dot <= 0) return false;
        // 32 bytes are 43 characters of base64url without padding.
        var macText = token.AsSpan(dot + 1);
        // TryDecodeFromChars throws on a character outside base64url rather than returning false.
        if (macText.Length != MacTextLength || !Base64Url.IsValid(macText)) return false;
        var bytes = new byte[MacSize + 1];
        if (!Base64Url.TryDecodeFromChars(macText, bytes, out var written) || written != MacSize) return false;
        // Lenient: a stray % stays as it is, and such a name is then simply not in the clients file.
        var decoded = Uri.UnescapeDataString(token[..dot]);
        if (decoded.Length == 0) return false;
        name = decoded;
        mac = bytes[..MacSize];
        return true;
    }

    /// <summary>
    /// Whether <paramref name="mac"/> is the MAC of <paramref name="name"/> under <paramref name="key"/>, compared in
    /// constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>), so the time taken says nothing of where
    /// a guess differs.
    /// </summary>
    public static bool Matches(string name, ReadOnlySpan<byte> mac, ClientKey key) =>
        CryptographicOperations.FixedTimeEquals(Mac(name, key), mac);
}
