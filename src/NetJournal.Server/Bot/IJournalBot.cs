namespace NetJournal.Server.Bot;

/// <summary>
/// Answers one question about the journal: the built-in rules (<see cref="BuiltInBot"/>) or a chat-completions
/// endpoint (EndpointBot). Called on the bot's own task, one question at a time, never on the receive,
/// commit or query threads. The answer may be several lines and any length: <see cref="AnswerText"/> makes the
/// stored note of it. Cancellation comes when the bot's timeout (<see cref="BotOptions.Timeout"/>) passes or the server stops.
/// </summary>
public interface IJournalBot
{
    Task<BotAnswer> AnswerAsync(BotQuestion question, CancellationToken cancellationToken);
}
