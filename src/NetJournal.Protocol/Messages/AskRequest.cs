namespace NetJournal.Protocol;

/// <summary>
/// A question for the server's bot (protocol §4.12). QuestionId is the client's random number for this question:
/// every copy and every later poll of it carries the same one, so it is asked once. Token is the address-validation
/// token (§7): the answer is larger than the question. Name is the asker's client name; Question one line of
/// 1 to <see cref="ProtocolConstants.MaxQuestionBytes"/> bytes of UTF-8.
/// </summary>
public sealed record AskRequest(uint RequestId, ReadOnlyMemory<byte> Token, ulong QuestionId, string Name, string Question) : JournalMessage
{
    public override MessageType Type => MessageType.AskRequest;
}
