using System.Buffers;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Server.Keys;

/// <summary>
/// Seals every reply to an address that came with a keyed session (<see cref="ClientAddress.Session"/>) on its way out;
/// any other reply (a SessionAccept, a KeyRequired refusal, the plain-text history for an allowed network) leaves as it is.
/// Called from the commit and query threads at once.
/// </summary>
internal sealed class SealingReplySender(IReplySender inner) : IReplySender
{
    public void Send(ReadOnlySpan<byte> datagram, ClientAddress to)
    {
        if (to.Session is not { } session)
        {
            inner.Send(datagram, to);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length + SealedDatagram.Overhead);
        try
        {
            var length = session.Seal(datagram, buffer);
            if (length > 0) inner.Send(buffer.AsSpan(0, length), to);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
