using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Client;

/// <summary>
/// An <see cref="IDatagramTransport"/> that seals every datagram with a keyed session and opens the server's
/// (protocol.md §8); the client above it sends and reads plain datagrams and never knows. It opens a session with a
/// SessionInit (a fresh random, MACed with the client's key) and takes the SessionAccept that answers it; both sides
/// then derive the session's keys (<see cref="SessionKeys"/>), so a new process, or a crashed one started again, never
/// reuses a nonce. It opens a new session when the current one nears its limits (<see cref="SessionLimits"/>) or when
/// the server has said nothing authentic for <see cref="RehandshakeAfter"/> while datagrams went out (a server restarted
/// has forgotten its sessions). Unsealed datagrams, replays and datagrams that fail authentication are dropped.
/// </summary>
public sealed class SealedDatagramTransport : IDatagramTransport
{
    private readonly IDatagramTransport _inner;
    private readonly ClientKey _key;
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _established = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly byte[] _raw = new byte[ProtocolConstants.MaxDatagram + 1];
    private volatile ClientSession? _current;
    private ClientSession? _previous;
    private byte[]? _init;
    private TimeSpan _initSentAt = TimeSpan.MinValue, _lastAuthentic, _lastSend;

    /// <summary>Seals and opens with <paramref name="key"/> over <paramref name="inner"/>, which it owns and disposes.</summary>
    /// <exception cref="PlatformNotSupportedException">ChaCha20-Poly1305 is not available on this system.</exception>
    public SealedDatagramTransport(IDatagramTransport inner, ClientKey key)
    {
        if (!ChaCha20Poly1305.IsSupported) throw new PlatformNotSupportedException("ChaCha20-Poly1305 is not available on this system (OpenSSL 1.1 or later is needed)");
        _inner = inner;
        _key = key;
    }

    /// <summary>How long a send waits for the first session before it reports its datagram lost (the client sends it again).</summary>
    public static readonly TimeSpan HandshakeWait = TimeSpan.FromSeconds(1);

    /// <summary>A SessionInit not answered within this is sent again (with the same random).</summary>
    public static readonly TimeSpan InitRetry = TimeSpan.FromMilliseconds(250);

    /// <summary>Nothing authentic heard for this long while sending: a new session is opened beside the current one.</summary>
    public static readonly TimeSpan RehandshakeAfter = TimeSpan.FromSeconds(2);

    /// <summary>Sessions opened so far (for tests).</summary>
    public int Sessions { get; private set; }

    /// <inheritdoc/>
    public DatagramStatus Send(ReadOnlySpan<byte> datagram)
    {
        var session = _current;
        var now = _clock.Elapsed;
        if (session is null || NeedsNewSession(session, now)) StartHandshake(now);
        if (session is null)
        {
            var deadline = now + HandshakeWait;
            while ((session = _current) is null && _clock.Elapsed < deadline)
            {
                if (_established.Wait(InitRetry)) continue;
                StartHandshake(_clock.Elapsed);
            }
            if (session is null) return DatagramStatus.Lost;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length + SealedDatagram.Overhead);
        try
        {
            var length = session.Seal(datagram, buffer);
            if (length == 0) return DatagramStatus.Lost;
            lock (_gate) _lastSend = _clock.Elapsed;
            return _inner.Send(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool NeedsNewSession(ClientSession session, TimeSpan now)
    {
        if (session.Sent >= SessionLimits.RekeyAfterDatagrams || now - session.EstablishedAt >= SessionLimits.RekeyAfter) return true;
        lock (_gate) return _lastSend - _lastAuthentic >= RehandshakeAfter && now - _initSentAt >= RehandshakeAfter;
    }

    /// <summary>Sends a SessionInit, a new one unless one is waiting for its answer; again at most every <see cref="InitRetry"/>.</summary>
    private void StartHandshake(TimeSpan now)
    {
        byte[] init;
        lock (_gate)
        {
            if (_init is not null && now - _initSentAt < InitRetry) return;
            if (_init is null)
            {
                _init = new byte[SessionHandshake.InitSize];
                SessionHandshake.WriteInit(_key, RandomNumberGenerator.GetBytes(SessionKeys.RandomSize), _init);
            }
            init = _init;
            _initSentAt = now;
        }
        _inner.Send(init);
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await _inner.ReceiveAsync(_raw, cancellationToken).ConfigureAwait(false);
            if (received.Status != DatagramStatus.Ok) return received;
            var datagram = _raw.AsSpan(0, received.Length);
            if (SessionHandshake.IsAccept(datagram))
            {
                TakeAccept(datagram);
                continue;
            }
            if (!SealedDatagram.IsSealed(datagram)) continue;
            var (id, counter) = SealedDatagram.ReadIds(datagram);
            var session = _current;
            if (session?.Id != id) session = _previous?.Id == id ? _previous : null;
            if (session is null || !session.Window.Check(counter) || !session.TryOpen(datagram, buffer.Span, out var length)) continue;
            session.Window.Mark(counter);
            lock (_gate) _lastAuthentic = _clock.Elapsed;
            return DatagramReceiveResult.Received(length);
        }
    }

    private void TakeAccept(ReadOnlySpan<byte> accept)
    {
        ClientSession? old;
        lock (_gate)
        {
            if (_init is null || !SessionHandshake.TryReadAccept(_key, _init, accept, out var id, out var serverRandom)) return;
            var keys = SessionKeys.Derive(_key, SessionHandshake.InitClientRandom(_init), serverRandom, id);
            old = _previous;
            _previous = _current;
            _current = new ClientSession(id, keys, _clock.Elapsed);
            _init = null;
            _lastAuthentic = _clock.Elapsed;
            Sessions++;
        }
        old?.Dispose();
        _established.Set();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _current?.Dispose();
        _previous?.Dispose();
        _established.Dispose();
    }

    /// <summary>One session at the client: its id, a key per direction, the counter it sends with and the window of what it heard.</summary>
    private sealed class ClientSession(ulong id, SessionKeys keys, TimeSpan establishedAt) : IDisposable
    {
        private readonly ChaCha20Poly1305 _seal = new(keys.ClientToServer);
        private readonly ChaCha20Poly1305 _open = new(keys.ServerToClient);
        private readonly Lock _sealing = new();
        private ulong _sent;
        private bool _disposed;

        public ulong Id { get; } = id;
        public TimeSpan EstablishedAt { get; } = establishedAt;
        public ReplayWindow Window { get; } = new();
        public ulong Sent => Interlocked.Read(ref _sent);

        public int Seal(ReadOnlySpan<byte> plain, Span<byte> destination)
        {
            // The counter is the nonce: taken and used under one lock, so no two datagrams share one.
            lock (_sealing) return _disposed ? 0 : SealedDatagram.Seal(_seal, Id, _sent++, plain, destination);
        }

        public bool TryOpen(ReadOnlySpan<byte> datagram, Span<byte> destination, out int length) =>
            SealedDatagram.TryOpen(_open, datagram, destination, out length);

        public void Dispose()
        {
            lock (_sealing)
            {
                _disposed = true;
                _seal.Dispose();
                _open.Dispose();
            }
        }
    }
}
