namespace NetJournal.Protocol;

/// <summary>Sent only once every note it reports as stored is on disk.</summary>
public sealed record AppendAck(ulong Instance, ulong FirstNumber, IReadOnlyList<NoteResult> Results) : JournalMessage
{
    public override MessageType Type => MessageType.AppendAck;
}
