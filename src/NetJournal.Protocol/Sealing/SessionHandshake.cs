using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NetJournal.Protocol.Sealing;

/// <summary>
/// The two datagrams that open a session (protocol.md §8). SessionInit (type 15, client → server): KeyId (16),
/// ClientRandom (32), MAC (16). SessionAccept (type 16, server → client): SessionId (u64), ServerRandom (32), MAC (16).
/// Each MAC is HMAC-SHA256 under a key derived from the client's key, cut to 16 bytes; the accept's covers the init it
/// answers, so a client takes only an answer to its own init from a server that holds its key. Compared in constant time.
/// </summary>
public static class SessionHandshake
{
    public const int MacSize = 16;

    /// <summary>Header, KeyId, ClientRandom, MAC: 70 bytes.</summary>
    public const int InitSize = ProtocolConstants.HeaderSize + ClientKey.IdSize + SessionKeys.RandomSize + MacSize;

    /// <summary>Header, SessionId, ServerRandom, MAC: 62 bytes, less than the init, so it amplifies nothing.</summary>
    public const int AcceptSize = ProtocolConstants.HeaderSize + 8 + SessionKeys.RandomSize + MacSize;

    /// <summary>Writes a SessionInit for <paramref name="key"/> with a fresh <paramref name="clientRandom"/>; returns <see cref="InitSize"/>.</summary>
    public static int WriteInit(ClientKey key, ReadOnlySpan<byte> clientRandom, Span<byte> destination)
    {
        WriteHeader(destination, MessageType.SessionInit);
        key.Id.CopyTo(destination[6..]);
        clientRandom[..SessionKeys.RandomSize].CopyTo(destination[(6 + ClientKey.IdSize)..]);
        Mac(key, destination[..(InitSize - MacSize)], [], destination.Slice(InitSize - MacSize, MacSize));
        return InitSize;
    }

    /// <summary>A SessionInit's shape: the right size, header and type. Its key id is then <see cref="InitKeyId"/>.</summary>
    public static bool IsInit(ReadOnlySpan<byte> datagram) => datagram.Length == InitSize && IsHeader(datagram, MessageType.SessionInit);

    public static ReadOnlySpan<byte> InitKeyId(ReadOnlySpan<byte> init) => init.Slice(6, ClientKey.IdSize);

    public static ReadOnlySpan<byte> InitClientRandom(ReadOnlySpan<byte> init) => init.Slice(6 + ClientKey.IdSize, SessionKeys.RandomSize);

    /// <summary>Whether the init's MAC was made with <paramref name="key"/> (constant time).</summary>
    public static bool VerifyInit(ClientKey key, ReadOnlySpan<byte> init)
    {
        if (!IsInit(init)) return false;
        Span<byte> mac = stackalloc byte[MacSize];
        Mac(key, init[..(InitSize - MacSize)], [], mac);
        return CryptographicOperations.FixedTimeEquals(mac, init[(InitSize - MacSize)..]);
    }

    /// <summary>Writes the SessionAccept answering <paramref name="init"/>; returns <see cref="AcceptSize"/>.</summary>
    public static int WriteAccept(ClientKey key, ReadOnlySpan<byte> init, ulong sessionId, ReadOnlySpan<byte> serverRandom, Span<byte> destination)
    {
        WriteHeader(destination, MessageType.SessionAccept);
        BinaryPrimitives.WriteUInt64BigEndian(destination[6..], sessionId);
        serverRandom[..SessionKeys.RandomSize].CopyTo(destination[14..]);
        Mac(key, init, destination[..(AcceptSize - MacSize)], destination.Slice(AcceptSize - MacSize, MacSize));
        return AcceptSize;
    }

    /// <summary>A SessionAccept's shape: the right size, header and type.</summary>
    public static bool IsAccept(ReadOnlySpan<byte> datagram) => datagram.Length == AcceptSize && IsHeader(datagram, MessageType.SessionAccept);

    /// <summary>Reads an accept that answers <paramref name="init"/> under <paramref name="key"/>; false for anything else.</summary>
    public static bool TryReadAccept(ClientKey key, ReadOnlySpan<byte> init, ReadOnlySpan<byte> accept, out ulong sessionId, out byte[] serverRandom)
    {
        sessionId = 0;
        serverRandom = [];
        if (!IsAccept(accept)) return false;
        Span<byte> mac = stackalloc byte[MacSize];
        Mac(key, init, accept[..(AcceptSize - MacSize)], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, accept[(AcceptSize - MacSize)..])) return false;
        sessionId = BinaryPrimitives.ReadUInt64BigEndian(accept[6..]);
        serverRandom = accept.Slice(14, SessionKeys.RandomSize).ToArray();
        return true;
    }

    private static void WriteHeader(Span<byte> destination, MessageType type)
    {
        destination[0] = ProtocolConstants.Magic0;
        destination[1] = ProtocolConstants.Magic1;
        destination[2] = ProtocolConstants.Magic2;
        destination[3] = ProtocolConstants.Version;
        destination[4] = (byte)type;
        destination[5] = 0;
    }

    private static bool IsHeader(ReadOnlySpan<byte> datagram, MessageType type) =>
        ProtocolConstants.HasMagic(datagram) && datagram[3] == ProtocolConstants.Version && datagram[4] == (byte)type && datagram[5] == 0;

    private static void Mac(ClientKey key, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.MacKey);
        hmac.AppendData(first);
        hmac.AppendData(second);
        Span<byte> full = stackalloc byte[32];
        hmac.GetHashAndReset(full);
        full[..MacSize].CopyTo(destination);
    }
}
