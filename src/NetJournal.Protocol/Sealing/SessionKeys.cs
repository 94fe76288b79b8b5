using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NetJournal.Protocol.Sealing;

/// <summary>
/// The two keys of one session, one per direction, derived with HKDF-SHA256 (RFC 5869) from the client's long-term key
/// and fresh randomness from both sides: IKM = the client key, salt = ClientRandom ‖ ServerRandom, info =
/// "netjournal v1 session" ‖ SessionId. As in WireGuard and QUIC, every session has keys never used before, so
/// counting nonces from 0 in each session (after a restart or a crash too) never repeats a nonce under a key.
/// </summary>
public sealed class SessionKeys
{
    public const int RandomSize = 32;

    private SessionKeys(byte[] clientToServer, byte[] serverToClient)
    {
        ClientToServer = clientToServer;
        ServerToClient = serverToClient;
    }

    /// <summary>The ChaCha20-Poly1305 key of datagrams the client sends (32 bytes).</summary>
    public byte[] ClientToServer { get; }

    /// <summary>The ChaCha20-Poly1305 key of datagrams the server sends (32 bytes).</summary>
    public byte[] ServerToClient { get; }

    /// <summary>Derives a session's keys; both randoms are <see cref="RandomSize"/> bytes.</summary>
    /// <exception cref="ArgumentException">A random of the wrong size.</exception>
    public static SessionKeys Derive(ClientKey key, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, ulong sessionId)
    {
        if (clientRandom.Length != RandomSize || serverRandom.Length != RandomSize) throw new ArgumentException("a session random is 32 bytes");
        Span<byte> salt = stackalloc byte[2 * RandomSize];
        clientRandom.CopyTo(salt);
        serverRandom.CopyTo(salt[RandomSize..]);
        Span<byte> info = stackalloc byte[Info.Length + 8];
        Info.CopyTo(info);
        BinaryPrimitives.WriteUInt64BigEndian(info[Info.Length..], sessionId);
        Span<byte> okm = stackalloc byte[64];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes, okm, salt, info);
        var keys = new SessionKeys(okm[..32].ToArray(), okm[32..].ToArray());
        CryptographicOperations.ZeroMemory(okm);
        return keys;
    }

    private static ReadOnlySpan<byte> Info => "netjournal v1 session"u8;
}
