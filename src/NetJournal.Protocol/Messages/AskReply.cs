namespace NetJournal.Protocol;

/// <summary>
/// The bot's answer to an <see cref="AskRequest"/> (protocol §4.13). While the bot is still working, Status is
/// <see cref="AskStatus.Working"/> and every other field is empty: the client asks again a little later. Once
/// answered: QuestionSeq is the seq the question was stored under, AnswerSeq the seq of the stored answer (0 if it
/// could not be stored), Cited the seqs of the notes the answer used (at most <see cref="ProtocolConstants.MaxCitedSeqs"/>),
/// Answer one line of at most <see cref="ProtocolConstants.MaxNoteBytes"/> bytes.
/// </summary>
public sealed record AskReply(uint RequestId, AskStatus Status, ulong QuestionSeq, ulong AnswerSeq, IReadOnlyList<ulong> Cited, string Answer) : JournalMessage
{
    public override MessageType Type => MessageType.AskReply;

    /// <summary>The reply to a question the bot is still answering.</summary>
    public static AskReply Working(uint requestId) => new(requestId, AskStatus.Working, 0, 0, [], "");
}
