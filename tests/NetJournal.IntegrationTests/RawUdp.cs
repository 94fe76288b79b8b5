using System.Net;
using System.Net.Sockets;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>A bare UDP socket for sending hand-made datagrams and reading exactly what comes back.</summary>
internal sealed class RawUdp : IDisposable
{
    private readonly Socket _socket;

    public RawUdp(IPEndPoint server)
    {
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        _socket.Connect(server);
    }

    public void Send(ReadOnlySpan<byte> datagram) => _socket.Send(datagram);

    public void Send(JournalMessage message) => Send(MessageCodec.Encode(message));

    /// <summary>The next datagram, or null if none comes within the timeout.</summary>
    public async Task<byte[]?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[70_000];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return buffer[..n];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<JournalMessage> ReceiveMessageAsync()
    {
        var bytes = await ReceiveAsync(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no reply within 10 s");
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(bytes, out var message));
        return message!;
    }

    public void Dispose() => _socket.Dispose();
}
