using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NetJournal.Protocol.Sealing;

/// <summary>
/// The sealed form of a native datagram (protocol.md §8): the plain header with <see cref="HeaderFlags.Sealed"/> added,
/// SessionId (u64), Counter (u64), the body encrypted with ChaCha20-Poly1305 (RFC 8439), and its 16-byte tag. The
/// first 22 bytes are the associated data, so header, session and counter are authenticated too; the nonce is four
/// zero bytes and the counter (big-endian). Each direction of a session has its own key and counts from 0.
/// Opening gives back the plain datagram exactly as it was before sealing.
/// </summary>
public static class SealedDatagram
{
    /// <summary>Header (6), SessionId (8), Counter (8): authenticated, not encrypted.</summary>
    public const int PrefixSize = ProtocolConstants.HeaderSize + 16;

    public const int TagSize = 16;

    /// <summary>Bytes a sealed datagram has beyond its plain form: SessionId, Counter and the tag.</summary>
    public const int Overhead = 16 + TagSize;

    private const int NonceSize = 12;

    /// <summary>Magic, a whole prefix and a tag, and the Sealed flag: worth looking up its session.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> datagram) =>
        ProtocolConstants.HasMagic(datagram) && datagram.Length >= PrefixSize + TagSize && ((HeaderFlags)datagram[5] & HeaderFlags.Sealed) != 0;

    /// <summary>The session and counter of a datagram that <see cref="IsSealed"/>.</summary>
    public static (ulong SessionId, ulong Counter) ReadIds(ReadOnlySpan<byte> datagram) =>
        (BinaryPrimitives.ReadUInt64BigEndian(datagram[6..]), BinaryPrimitives.ReadUInt64BigEndian(datagram[14..]));

    /// <summary>
    /// Seals the plain datagram <paramref name="plain"/> (header included) into <paramref name="destination"/>, which
    /// needs <see cref="Overhead"/> bytes more; returns the sealed length.
    /// </summary>
    /// <exception cref="ArgumentException">The datagram has no whole header, or the destination is too small.</exception>
    public static int Seal(ChaCha20Poly1305 aead, ulong sessionId, ulong counter, ReadOnlySpan<byte> plain, Span<byte> destination)
    {
        if (plain.Length < ProtocolConstants.HeaderSize) throw new ArgumentException("a datagram starts with a 6-byte header", nameof(plain));
        var length = plain.Length + Overhead;
        if (destination.Length < length) throw new ArgumentException("no room for the sealed datagram", nameof(destination));
        plain[..ProtocolConstants.HeaderSize].CopyTo(destination);
        destination[5] |= (byte)HeaderFlags.Sealed;
        BinaryPrimitives.WriteUInt64BigEndian(destination[6..], sessionId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[14..], counter);
        Span<byte> nonce = stackalloc byte[NonceSize];
        Nonce(counter, nonce);
        var body = plain[ProtocolConstants.HeaderSize..];
        aead.Encrypt(nonce, body, destination.Slice(PrefixSize, body.Length), destination.Slice(PrefixSize + body.Length, TagSize), destination[..PrefixSize]);
        return length;
    }

    /// <summary>
    /// Authenticates and decrypts <paramref name="datagram"/> into <paramref name="destination"/> as the plain
    /// datagram (header without the Sealed flag, then the body); false, with nothing to trust in the destination, when
    /// any bit of it was changed or it was sealed under another key.
    /// </summary>
    public static bool TryOpen(ChaCha20Poly1305 aead, ReadOnlySpan<byte> datagram, Span<byte> destination, out int length)
    {
        length = 0;
        if (!IsSealed(datagram)) return false;
        var bodyLength = datagram.Length - PrefixSize - TagSize;
        if (destination.Length < ProtocolConstants.HeaderSize + bodyLength) return false;
        Span<byte> nonce = stackalloc byte[NonceSize];
        Nonce(BinaryPrimitives.ReadUInt64BigEndian(datagram[14..]), nonce);
        try
        {
            aead.Decrypt(nonce, datagram.Slice(PrefixSize, bodyLength), datagram.Slice(PrefixSize + bodyLength, TagSize),
                destination.Slice(ProtocolConstants.HeaderSize, bodyLength), datagram[..PrefixSize]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        datagram[..ProtocolConstants.HeaderSize].CopyTo(destination);
        destination[5] &= unchecked((byte)~HeaderFlags.Sealed);
        length = ProtocolConstants.HeaderSize + bodyLength;
        return true;
    }

    private static void Nonce(ulong counter, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }
}
