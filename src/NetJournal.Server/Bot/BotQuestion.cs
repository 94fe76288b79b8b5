namespace NetJournal.Server.Bot;

/// <summary>
/// A question as the bot gets it: Text without its <c>@bot </c> prefix, Asker the client name that asked, Seq and
/// TimeMs (Unix milliseconds) those of the stored note that asked it.
/// </summary>
public sealed record BotQuestion(string Text, string Asker, ulong Seq, long TimeMs)
{
    /// <summary>Whether to answer in Chinese: the question holds a CJK ideograph (or kana, or fullwidth punctuation).</summary>
    public bool IsChinese => BotLanguage.IsChinese(Text);
}
