namespace NetJournal.Cli.Editing;

/// <summary>Keys as a person presses them: the console's, or a scripted list in tests.</summary>
public interface IKeySource
{
    /// <summary>Waits for the next key; null when there are no more (the terminal is gone).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (Ctrl-C).</exception>
    ValueTask<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken);
}
