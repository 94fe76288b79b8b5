namespace NetJournal.Protocol;

/// <summary>Where a question stands in an <see cref="AskReply"/>.</summary>
public enum AskStatus : byte
{
    /// <summary>The answer is in the reply.</summary>
    Answered = 1,

    /// <summary>The bot is still working on it; ask again with the same QuestionId.</summary>
    Working = 2,
}
