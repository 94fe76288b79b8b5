using System.Net;
using System.Net.Sockets;

namespace NetJournal.Server;

/// <summary>One datagram per call with the allocation-free synchronous ReceiveFrom; works on every platform.</summary>
internal sealed class SocketDatagramReceiver(Socket socket) : IDatagramReceiver
{
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(65_536);
    private readonly SocketAddress _from = new(socket.AddressFamily);
    private int _length;

    public int Receive()
    {
        _length = socket.ReceiveFrom(_buffer, SocketFlags.None, _from);
        return 1;
    }

    public ReadOnlyMemory<byte> Datagram(int index) => _buffer.AsMemory(0, _length);

    public SocketAddress Source(int index) => _from;
}
