using System.Net;
using System.Net.Sockets;
using NetJournal.Server.Keys;

namespace NetJournal.Server;

/// <summary>A datagram's source: the raw socket address to reply to, and the IP endpoint and text the journal records.</summary>
public sealed class ClientAddress
{
    public ClientAddress(SocketAddress raw)
    {
        Raw = new SocketAddress(raw.Family, raw.Size);
        raw.Buffer.Span.CopyTo(Raw.Buffer.Span);
        var endPoint = (IPEndPoint)new IPEndPoint(raw.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(Raw);
        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the journal shows them as plain IPv4.
        EndPoint = endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
        Text = EndPoint.ToString();
        IpText = EndPoint.Address.ToString();
    }

    public ClientAddress(IPEndPoint endPoint) : this(endPoint.Serialize())
    {
    }

    /// <summary>The address of an authentic datagram of <paramref name="session"/>: replies to it are sealed with that session.</summary>
    internal ClientAddress(SocketAddress raw, ServerSession session) : this(raw)
    {
        Session = session;
    }

    /// <summary>The keyed session this address's datagram came in (keys on); null for an unsealed datagram.</summary>
    internal ServerSession? Session { get; }

    /// <summary>The authenticated client (its name and rights from the clients file), or null without keys.</summary>
    public KeyedClient? Client => Session?.Client;

    /// <summary>What the requester may read: every note without keys; see <see cref="ReadScope"/>.</summary>
    public ReadScope Scope => Session?.Client.Scope ?? ReadScope.All;

    public SocketAddress Raw { get; }
    public IPEndPoint EndPoint { get; }
    public IPAddress Ip => EndPoint.Address;
    public string Text { get; }

    /// <summary>The IP alone: the client name of plain-text notes. Made once per source, not per datagram.</summary>
    public string IpText { get; }

    private byte[]? _nameUtf8;
    private string? _name;

    /// <summary>
    /// The client name sent from this source, decoded when it changes: a client repeats its name in every datagram.
    /// Only the receive thread calls this.
    /// </summary>
    public string Name(ReadOnlySpan<byte> utf8)
    {
        if (_name is null || !utf8.SequenceEqual(_nameUtf8))
        {
            _nameUtf8 = utf8.ToArray();
            _name = System.Text.Encoding.UTF8.GetString(utf8);
        }
        return _name;
    }
}
