namespace NetJournal.Server;

/// <summary>The one way out of the server's logic: send a datagram to an address. The UDP listener is the real one; tests may collect.</summary>
public interface IReplySender
{
    void Send(ReadOnlySpan<byte> datagram, ClientAddress to);
}
