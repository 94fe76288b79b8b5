using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// Every reply passes here. Until a source has proved its address with a token, it never gets more
/// than three times the bytes it sent, so a forged source address cannot turn the server into an amplifier.
/// </summary>
public sealed class ReplyGate(IReplySender sender, ServerCounters counters)
{
    public bool Send(ReadOnlySpan<byte> reply, ClientAddress to, int requestBytes, bool validated)
    {
        if (!validated && reply.Length > ProtocolConstants.AmplificationFactor * requestBytes)
        {
            counters.Drop();
            return false;
        }
        sender.Send(reply, to);
        return true;
    }
}
