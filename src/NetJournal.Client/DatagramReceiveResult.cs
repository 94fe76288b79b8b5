namespace NetJournal.Client;

/// <summary>
/// One result of <see cref="IDatagramTransport.ReceiveAsync"/>: a datagram of <see cref="Length"/> bytes
/// (<see cref="DatagramStatus.Ok"/>), or word that the server is unreachable (<see cref="DatagramStatus.Unreachable"/>, Length 0).
/// </summary>
public readonly record struct DatagramReceiveResult(int Length, DatagramStatus Status)
{
    /// <summary>A datagram of <paramref name="length"/> bytes, now at the start of the buffer given.</summary>
    public static DatagramReceiveResult Received(int length) => new(length, DatagramStatus.Ok);

    /// <summary>No datagram: the server's host reported its port closed.</summary>
    public static DatagramReceiveResult Unreachable => new(0, DatagramStatus.Unreachable);
}
