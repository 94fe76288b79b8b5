using Microsoft.Extensions.Logging;

namespace NetJournal.Server.Bot;

/// <summary>The bot's log lines, with fixed event ids (40–49).</summary>
internal static partial class BotLog
{
    [LoggerMessage(40, LogLevel.Information, "Bot: {Kind}, answering within {TimeoutSeconds} s")]
    public static partial void Started(ILogger logger, string kind, double timeoutSeconds);

    [LoggerMessage(41, LogLevel.Debug, "Bot answered question #{QuestionSeq} as #{AnswerSeq} in {Milliseconds} ms")]
    public static partial void Answered(ILogger logger, ulong questionSeq, ulong answerSeq, long milliseconds);

    [LoggerMessage(42, LogLevel.Warning, "Bot could not answer question #{QuestionSeq}")]
    public static partial void AnswerFailed(ILogger logger, ulong questionSeq, Exception exception);

    [LoggerMessage(43, LogLevel.Warning, "Bot queue full: question #{QuestionSeq} is not answered ({Dropped} dropped so far)")]
    public static partial void QuestionDropped(ILogger logger, ulong questionSeq, long dropped);
}
