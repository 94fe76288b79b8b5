namespace NetJournal.Cli.Editing;

/// <summary>Lines from a pipe or a file (or a terminal when output is not one), read as they are: no prompt, no editing.</summary>
public sealed class PipedSessionConsole(TextReader input) : SessionConsole
{
    public override Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        input.ReadLineAsync(cancellationToken).AsTask();
}
