namespace NetJournal.Cli.Commands;

public enum OutputFormat
{
    Text,
    Json,

    /// <summary>RFC 4180 CSV with a header row (history only).</summary>
    Csv,

    /// <summary>Markdown, a day-headed list (history only); named for what --format takes, <c>md</c>.</summary>
    Md,
}
