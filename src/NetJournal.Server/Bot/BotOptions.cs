using NetJournal.Storage;

namespace NetJournal.Server.Bot;

/// <summary>The journal bot's settings (<see cref="JournalServerOptions.Bot"/>; null there means no bot).</summary>
public sealed class BotOptions
{
    /// <summary>The client name the bot's answers are stored under.</summary>
    public const string ClientName = "bot";

    /// <summary>
    /// Makes the bot once the journal is open, given the store to read (any thread may read it). The default is the
    /// built-in bot, with days in this machine's time zone.
    /// </summary>
    public Func<IJournalStore, TimeProvider, IJournalBot> Create { get; set; } = (store, time) => new BuiltInBot(store, time);

    /// <summary>What the bot is, for the log line at start.</summary>
    public string Description { get; set; } = "built-in rules";

    /// <summary>Longest an answer may take (<c>serve --bot-timeout</c>); then the asker is told the bot did not answer in time.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Questions waiting for the bot; beyond it a question is answered that the bot is busy, never the commit delayed.</summary>
    public int QueueLength { get; set; } = 64;

    /// <summary>Questions one source address may have unanswered at once through <c>ask</c>.</summary>
    public int MaxPendingPerSource { get; set; } = 4;

    /// <summary>How long an answer is kept for the asker's repeats and polls.</summary>
    public TimeSpan KeepAnswers { get; set; } = TimeSpan.FromSeconds(60);
}
