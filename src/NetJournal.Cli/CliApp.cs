namespace NetJournal.Cli;

public static class CliApp
{
    public static int Run(string[] args) => args.Length;
}
