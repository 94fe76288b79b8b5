namespace NetJournal.Protocol;

public sealed record ClientsPage(uint RequestId, ulong NextIndex, bool Complete, IReadOnlyList<ClientSummary> Clients) : JournalMessage
{
    public override MessageType Type => MessageType.ClientsPage;
}
