using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Server.Keys;

/// <summary>
/// The first read of every datagram when keys are on (protocol.md §8), on the receive thread, before the router: answers
/// SessionInits, opens sealed datagrams into their plain form (checked against the replay window, the session's limits
/// and the clients file as it now reads), refuses unsealed native requests with KeyRequired, and lets plain-text and
/// syslog datagrams through only from the allowed networks. What it passes on is a plain datagram and the address to
/// answer, which carries the session: the router and everything after it read requests as they would without keys.
/// A datagram that fails authentication is counted and dropped, never answered.
/// </summary>
internal sealed class SessionOpener(
    ClientRegistry registry, ReplyGate replies, ServerCounters counters, ILogger logger, IReadOnlyList<IPNetwork> allowPlain, TimeProvider time)
{
    /// <summary>Sessions held at once; beyond it, a half-open one (no datagram yet) goes first, then the least recently heard.</summary>
    public const int MaxSessions = 16_384;

    private readonly Dictionary<ulong, ServerSession> _sessions = [];
    private readonly byte[] _plain = new byte[ProtocolConstants.MaxDatagram];
    private readonly byte[] _reply = new byte[1024];
    private long _failuresToReport, _lastReportMs = long.MinValue;
    private long _lastSweepMs;

    /// <summary>Sessions held now, half-open ones included (for tests and the stop line).</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>
    /// Decides what becomes of <paramref name="datagram"/>: true hands <paramref name="plain"/> (valid until the next
    /// call) and <paramref name="from"/> to the router; false means it was answered here, or dropped and counted.
    /// </summary>
    public bool TryAdmit(ReadOnlyMemory<byte> datagram, ClientAddress source, out ReadOnlyMemory<byte> plain, out ClientAddress from)
    {
        plain = datagram;
        from = source;
        var span = datagram.Span;
        if (!ProtocolConstants.HasMagic(span))
        {
            foreach (var network in allowPlain)
                if (network.Contains(source.Ip)) return true;
            counters.PlainRefusal();
            return false;
        }
        if (SealedDatagram.IsSealed(span)) return TryOpen(span, source, out plain, out from);
        if (SessionHandshake.IsInit(span))
        {
            Accept(span, source);
            return false;
        }
        RefuseUnsealed(span, source);
        return false;
    }

    private bool TryOpen(ReadOnlySpan<byte> datagram, ClientAddress source, out ReadOnlyMemory<byte> plain, out ClientAddress from)
    {
        plain = default;
        from = source;
        var (id, counter) = SealedDatagram.ReadIds(datagram);
        if (!_sessions.TryGetValue(id, out var session)) return Fail(source);
        if (!session.Window.Check(counter))
        {
            counters.Replay();
            return Fail(source, counted: true);
        }
        if (!session.TryOpen(datagram, _plain, out var length))
        {
            if (++session.FailedOpens >= SessionLimits.MaxFailedOpens) Remove(session);
            return Fail(source);
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Checked on every datagram: a client taken out of the file, or a session past its limits, is refused from now on.
        var client = registry.Current(session.Client);
        if (client is null || session.Received >= SessionLimits.RejectAfterDatagrams
            || now - session.CreatedMs > (long)SessionLimits.RejectAfter.TotalMilliseconds)
        {
            Remove(session);
            return Fail(source);
        }
        session.Window.Mark(counter);
        session.Client = client;
        session.Received++;
        session.LastSeenMs = now;
        session.Established = true;
        // Replies follow the latest authentic datagram (a NAT may move the client's port); a replay never moves them.
        if (session.Address is not { } address || !address.Raw.Equals(source.Raw)) session.Address = new ClientAddress(source.Raw, session);
        plain = _plain.AsMemory(0, length);
        from = session.Address;
        return true;
    }

    /// <summary>
    /// A SessionInit with a known key and a good MAC gets a half-open session and its SessionAccept. A replayed init
    /// only makes another half-open session, under keys its sender cannot derive without the client's key, and no
    /// datagram of an earlier session opens under them: the server's random is new each time.
    /// </summary>
    private void Accept(ReadOnlySpan<byte> init, ClientAddress source)
    {
        var client = registry.File.Find(SessionHandshake.InitKeyId(init));
        if (client is null || !SessionHandshake.VerifyInit(client.Key, init))
        {
            Fail(source);
            return;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        MakeRoom(now);
        Span<byte> serverRandom = stackalloc byte[SessionKeys.RandomSize];
        RandomNumberGenerator.Fill(serverRandom);
        ulong id;
        do id = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8)); while (id == 0 || _sessions.ContainsKey(id));
        var keys = SessionKeys.Derive(client.Key, SessionHandshake.InitClientRandom(init), serverRandom, id);
        _sessions[id] = new ServerSession(id, client, keys, now);
        counters.Handshake();
        var length = SessionHandshake.WriteAccept(client.Key, init, id, serverRandom, _reply);
        replies.Send(_reply.AsSpan(0, length), source, init.Length, validated: false);
    }

    /// <summary>An unsealed NetJournal request: its notes are refused, or the request is, with KeyRequired, so a keyless client says why at once.</summary>
    private void RefuseUnsealed(ReadOnlySpan<byte> datagram, ClientAddress source)
    {
        counters.UnsealedDatagram();
        if (DatagramHeader.Read(datagram, out var header) != DecodeStatus.Ok) return;
        JournalMessage? refusal = null;
        if (AppendRequestView.TryRead(datagram, header, out var append))
        {
            var results = new NoteResult[append.NoteCount];
            Array.Fill(results, NoteResult.Rejected(ErrorCode.KeyRequired));
            refusal = new AppendAck(append.Instance, append.FirstNumber, results);
        }
        else if (MessageCodec.TryDecode(datagram.ToArray(), out var message) == DecodeStatus.Ok)
        {
            refusal = message switch
            {
                HistoryRequest r => new ErrorReply(r.RequestId, ErrorCode.KeyRequired, ""),
                CountRequest r => new ErrorReply(r.RequestId, ErrorCode.KeyRequired, ""),
                ClientsRequest r => new ErrorReply(r.RequestId, ErrorCode.KeyRequired, ""),
                _ => null,
            };
        }
        if (refusal is null) return;
        var length = MessageCodec.Encode(refusal, _reply);
        replies.Send(_reply.AsSpan(0, length), source, datagram.Length, validated: false);
    }

    private bool Fail(ClientAddress source, bool counted = false)
    {
        if (!counted) counters.AuthFailure();
        _failuresToReport++;
        var now = Environment.TickCount64;
        if (now - _lastReportMs >= 60_000)
        {
            ServerLog.AuthenticationFailed(logger, _failuresToReport, source.Text);
            (_failuresToReport, _lastReportMs) = (0, now);
        }
        return false;
    }

    /// <summary>Forgets idle sessions (at most once a second), and when the table is full a half-open one or the least recently heard.</summary>
    private void MakeRoom(long now)
    {
        if (now - _lastSweepMs >= 1000)
        {
            _lastSweepMs = now;
            var idle = (long)SessionLimits.IdleTimeout.TotalMilliseconds;
            foreach (var s in _sessions.Values.Where(s => now - s.LastSeenMs > idle).ToList()) Remove(s);
        }
        if (_sessions.Count < MaxSessions) return;
        var victim = _sessions.Values.OrderBy(s => s.Established).ThenBy(s => s.LastSeenMs).First();
        Remove(victim);
    }

    private void Remove(ServerSession session)
    {
        _sessions.Remove(session.Id);
        session.Close();
    }
}
