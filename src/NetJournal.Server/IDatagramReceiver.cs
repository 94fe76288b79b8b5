using System.Net;

namespace NetJournal.Server;

/// <summary>Receives datagrams from the server's socket, one or a batch per call.</summary>
internal interface IDatagramReceiver
{
    /// <summary>Blocks until at least one datagram is in, and returns how many (0 when the socket was shut down).</summary>
    int Receive();

    ReadOnlyMemory<byte> Datagram(int index);

    SocketAddress Source(int index);
}
