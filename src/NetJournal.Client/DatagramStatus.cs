namespace NetJournal.Client;

/// <summary>What a <see cref="IDatagramTransport"/> can tell of one datagram. Loss on the way is never seen.</summary>
public enum DatagramStatus : byte
{
    /// <summary>Sent, or received: a datagram that left may still be lost on the way.</summary>
    Ok = 0,

    /// <summary>Dropped before it left (no buffer space, a local firewall, no route for now): as good as lost on the way.</summary>
    Lost = 1,

    /// <summary>
    /// The server's host said nothing listens at its port (ICMP port unreachable, seen as "connection refused").
    /// The datagram is lost too; the client remembers it to say why the server does not answer.
    /// </summary>
    Unreachable = 2,
}
