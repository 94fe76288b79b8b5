using System.Security.Cryptography;
using System.Text;

namespace NetJournal.Protocol.Sealing;

/// <summary>
/// A client's long-term key: 32 random bytes shared by the client (its key file) and the server (its clients file),
/// written as <c>nj1-</c> and the base64 of the bytes. Never sent: the wire carries only <see cref="Id"/>, and MACs
/// and session keys derived from it (protocol.md §8).
/// </summary>
public sealed class ClientKey
{
    public const int Size = 32;
    public const int IdSize = 16;
    private const string Prefix = "nj1-";

    private readonly byte[] _bytes;

    private ClientKey(byte[] bytes)
    {
        _bytes = bytes;
        Id = HKDF.Expand(HashAlgorithmName.SHA256, bytes, IdSize, "netjournal v1 key id"u8.ToArray());
        MacKey = HKDF.Expand(HashAlgorithmName.SHA256, bytes, 32, "netjournal v1 handshake mac"u8.ToArray());
    }

    /// <summary>16 bytes derived from the key (HKDF-Expand, SHA-256): names the key in a SessionInit without revealing it.</summary>
    public byte[] Id { get; }

    /// <summary>The HMAC-SHA256 key of the handshake's MACs, derived from the key, never the key itself.</summary>
    internal byte[] MacKey { get; }

    /// <summary>The key's bytes, the input keying material of every session's HKDF.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A fresh key from the system's cryptographic random number generator.</summary>
    public static ClientKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>Reads <c>nj1-BASE64</c> (32 bytes); null when <paramref name="text"/> is not a key.</summary>
    public static ClientKey? TryParse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var bytes = new byte[Size];
        return Convert.TryFromBase64String(text[Prefix.Length..], bytes, out var written) && written == Size ? new ClientKey(bytes) : null;
    }

    /// <summary>Compares keys in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>), so the time taken says nothing of where they differ.</summary>
    public bool SameAs(ClientKey other) => CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    /// <summary>The text form: <c>nj1-</c> and 44 characters of base64.</summary>
    public override string ToString() => Prefix + Convert.ToBase64String(_bytes);

    /// <summary>The key id as hex, for log lines: it names the key without revealing it.</summary>
    public string IdText => Convert.ToHexStringLower(Id.AsSpan(0, 8));

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
