namespace NetJournal.Server.Bot;

/// <summary>What the bot answers: its text, and the seqs of the notes it used, most relevant first.</summary>
public sealed record BotAnswer(string Text, IReadOnlyList<ulong> Cited)
{
    public static BotAnswer Plain(string text) => new(text, []);
}
