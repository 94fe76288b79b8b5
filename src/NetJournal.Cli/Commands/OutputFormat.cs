namespace NetJournal.Cli.Commands;

public enum OutputFormat
{
    Text,
    Json,
}
