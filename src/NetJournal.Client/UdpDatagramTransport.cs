using System.Net;
using System.Net.Sockets;

namespace NetJournal.Client;

/// <summary>
/// The default <see cref="IDatagramTransport"/>: one UDP socket connected to the server, so the kernel delivers only
/// the server's datagrams and reports "port unreachable" to it. Errors that mean a lost datagram are reported as such,
/// never thrown.
/// </summary>
public sealed class UdpDatagramTransport : IDatagramTransport
{
    private readonly Socket _socket;

    /// <summary>Opens a socket of the server's address family and connects it to <paramref name="server"/>.</summary>
    /// <exception cref="SocketException">No socket could be opened or connected (no such address family here, say).</exception>
    public UdpDatagramTransport(IPEndPoint server)
    {
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Room for a burst of replies (a window of history pages); a smaller buffer where the system allows less.
        try { _socket.ReceiveBufferSize = 4 * 1024 * 1024; } catch (SocketException) { }
        try
        {
            _socket.Connect(server);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public DatagramStatus Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.Send(datagram);
            return DatagramStatus.Ok;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return DatagramStatus.Unreachable;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.NoBufferSpaceAvailable or SocketError.WouldBlock
            // A local firewall dropping the datagram on output (EPERM), or a route that is gone for now: also a lost datagram.
            or SocketError.AccessDenied or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown)
        {
            return DatagramStatus.Lost;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Waits on the calling thread (the client receives on a thread of its own) and completes synchronously: a bulk
    /// write then costs one thread wake-up per datagram answered, where an asynchronous receive cost three (the
    /// socket engine's thread, a pool thread, and the writer's). The wait looks at the token every
    /// <see cref="PollInterval"/>; disposing ends it within that time too.
    /// </remarks>
    public ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (!_socket.Poll(PollInterval, SelectMode.SelectRead)) continue;
                return ValueTask.FromResult(DatagramReceiveResult.Received(_socket.Receive(buffer.Span, SocketFlags.None)));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return ValueTask.FromResult(DatagramReceiveResult.Unreachable);
            }
            catch (SocketException)
            {
                // Any other error on receive (a truncated datagram, a transient fault) loses that datagram only.
            }
        }
    }

    /// <summary>How often a waiting receive looks at its cancellation token and whether the socket was disposed.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
