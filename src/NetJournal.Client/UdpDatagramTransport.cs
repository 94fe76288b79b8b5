using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

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
    // Pooled: a receive that waits would otherwise allocate its state machine for every datagram the client hears.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Disposing the socket under a pending receive can surface as a socket error: stop, do not wait again.
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return DatagramReceiveResult.Received(await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return DatagramReceiveResult.Unreachable;
            }
            catch (SocketException)
            {
                // Any other error on receive (a truncated datagram, a transient fault) loses that datagram only.
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
