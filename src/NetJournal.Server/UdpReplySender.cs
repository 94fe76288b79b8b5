using System.Net.Sockets;

namespace NetJournal.Server;

internal sealed class UdpReplySender(Socket socket) : IReplySender
{
    public void Send(ReadOnlySpan<byte> datagram, ClientAddress to)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, to.Raw);
        }
        catch (SocketException)
        {
            // A reply that cannot leave (unreachable peer, full buffer) is as lost as one dropped on the wire; the client retries.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
