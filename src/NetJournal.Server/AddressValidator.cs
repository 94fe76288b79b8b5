using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace NetJournal.Server;

/// <summary>
/// Stateless address-validation tokens, in the spirit of QUIC Retry and DNS cookies: a MAC over the
/// source IP and the minute it was issued, under a key that lives only in this process. A client that
/// echoes one has shown it receives at that address, so it may get replies larger than it sent.
/// </summary>
public sealed class AddressValidator(TimeProvider time)
{
    public const int TokenSize = 16;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public byte[] Issue(IPAddress address)
    {
        var token = new byte[TokenSize];
        var minute = (uint)(time.GetUtcNow().ToUnixTimeSeconds() / 60);
        BinaryPrimitives.WriteUInt32BigEndian(token, minute);
        Mac(address, minute, token.AsSpan(4));
        return token;
    }

    public bool IsValid(IPAddress address, ReadOnlySpan<byte> token)
    {
        if (token.Length != TokenSize) return false;
        var minute = BinaryPrimitives.ReadUInt32BigEndian(token);
        var now = (uint)(time.GetUtcNow().ToUnixTimeSeconds() / 60);
        if (minute > now || now - minute > Lifetime.TotalMinutes) return false;
        Span<byte> expected = stackalloc byte[TokenSize - 4];
        Mac(address, minute, expected);
        return CryptographicOperations.FixedTimeEquals(expected, token[4..]);
    }

    private void Mac(IPAddress address, uint minute, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[20];
        address.TryWriteBytes(input, out var written);
        BinaryPrimitives.WriteUInt32BigEndian(input[written..], minute);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input[..(written + 4)], mac);
        mac[..destination.Length].CopyTo(destination);
    }
}
