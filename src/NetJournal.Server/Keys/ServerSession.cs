using System.Security.Cryptography;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Server.Keys;

/// <summary>
/// One keyed session as the server holds it (protocol.md §8): its id, its client, a key per direction, the replay
/// window of what the client sent, and the counter of what the server sends. The receive thread opens; the commit and
/// query threads seal replies, under a lock, each with the next counter.
/// </summary>
internal sealed class ServerSession(ulong id, KeyedClient client, SessionKeys keys, long createdMs)
{
    private readonly ChaCha20Poly1305 _open = new(keys.ClientToServer);
    private readonly ChaCha20Poly1305 _seal = new(keys.ServerToClient);
    private readonly Lock _sealing = new();
    private ulong _sent;
    private bool _closed;

    public ulong Id { get; } = id;

    /// <summary>The client's line as last checked against the clients file: its name and rights hold for this datagram.</summary>
    public KeyedClient Client { get; set; } = client;

    public long CreatedMs { get; } = createdMs;
    public long LastSeenMs { get; set; } = createdMs;

    /// <summary>False until the first datagram opens under it: a SessionInit replayed by someone without the key never gets here.</summary>
    public bool Established { get; set; }

    public ReplayWindow Window { get; } = new();
    public ulong Received { get; set; }
    public int FailedOpens { get; set; }

    /// <summary>Where replies go: the address of the latest authentic datagram, carrying this session.</summary>
    public ClientAddress? Address { get; set; }

    /// <summary>Opens a sealed datagram of this session into <paramref name="destination"/> (receive thread only).</summary>
    public bool TryOpen(ReadOnlySpan<byte> datagram, Span<byte> destination, out int length) =>
        SealedDatagram.TryOpen(_open, datagram, destination, out length);

    /// <summary>Seals a reply with the next counter; 0 when the session is closed or has sent all it may.</summary>
    public int Seal(ReadOnlySpan<byte> plain, Span<byte> destination)
    {
        lock (_sealing)
        {
            if (_closed || _sent >= SessionLimits.RejectAfterDatagrams) return 0;
            return SealedDatagram.Seal(_seal, Id, _sent++, plain, destination);
        }
    }

    /// <summary>Forgets the keys; a reply still on its way is not sent.</summary>
    public void Close()
    {
        lock (_sealing)
        {
            if (_closed) return;
            _closed = true;
            _open.Dispose();
            _seal.Dispose();
        }
    }
}
