namespace NetJournal.Client;

/// <summary>
/// The path a <see cref="JournalClient"/> sends its datagrams to one server on and hears the server's on: all the
/// client knows of the network. It is as unreliable as UDP: a datagram may be lost, duplicated or reordered, and
/// the client's retransmissions make up for it. <see cref="UdpDatagramTransport"/> is the real one; a wrapper (one
/// that seals datagrams with a key, say) or an in-memory fake for tests fits the same shape.
/// </summary>
/// <remarks>
/// <see cref="Send"/> may be called from several threads at once; <see cref="ReceiveAsync"/> by one reader at a time.
/// Disposing ends a pending receive (it throws <see cref="OperationCanceledException"/> or <see cref="ObjectDisposedException"/>).
/// </remarks>
public interface IDatagramTransport : IAsyncDisposable
{
    /// <summary>
    /// Sends one whole datagram (at most <see cref="NetJournal.Protocol.ProtocolConstants.MaxDatagram"/> bytes) to the server.
    /// Never throws for a datagram that is lost: says <see cref="DatagramStatus.Lost"/> or <see cref="DatagramStatus.Unreachable"/> instead.
    /// </summary>
    DatagramStatus Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Waits for the next datagram from the server and copies it to the start of <paramref name="buffer"/> (one byte
    /// larger than the largest datagram, so an oversized one shows). Returns its length, or reports the server unreachable.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The transport was disposed.</exception>
    ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}
