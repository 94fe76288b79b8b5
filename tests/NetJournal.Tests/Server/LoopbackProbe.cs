using System.Net;
using System.Net.Sockets;
using NetJournal.Protocol;

namespace NetJournal.Tests.Server;

/// <summary>A bare UDP socket on loopback that sends one request to a server and decodes its reply.</summary>
internal sealed class LoopbackProbe : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram];

    public LoopbackProbe(int serverPort)
    {
        _server = new IPEndPoint(IPAddress.Loopback, serverPort);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // A reply that never comes fails the test instead of hanging it.
        _socket.ReceiveTimeout = 10_000;
    }

    public void Send(JournalMessage request) => _socket.SendTo(MessageCodec.Encode(request), _server);

    public T Ask<T>(JournalMessage request) where T : JournalMessage
    {
        Send(request);
        var length = _socket.Receive(_buffer);
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(_buffer.AsSpan(0, length).ToArray(), out var reply));
        return Assert.IsType<T>(reply);
    }

    public void Dispose() => _socket.Dispose();
}
