namespace NetJournal.Cli.Editing;

/// <summary>
/// Where an interactive session reads its lines and prints, shared by the session and the notes that arrive live:
/// one gate lets one of them print at a time, so a live note never lands inside a listing or a line being drawn.
/// <see cref="PipedSessionConsole"/> reads lines from a pipe or file as they come; <see cref="EditedSessionConsole"/>
/// edits them in a terminal and, while a line is being typed, prints other text above it and draws the line again.
/// </summary>
public abstract class SessionConsole : IDisposable
{
    /// <summary>Held by whoever prints: the session between two lines, a live note, or the editor drawing a key.</summary>
    protected SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The next line the person submits, without its line break; null at the end of input (Ctrl-D).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (Ctrl-C).</exception>
    public abstract Task<string?> ReadLineAsync(CancellationToken cancellationToken);

    /// <summary>Waits until nothing else prints and keeps it so until the returned object is disposed.</summary>
    public async Task<IDisposable> HoldAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(Gate);
    }

    /// <summary>
    /// Runs <paramref name="print"/> (which prints whole lines) when nothing else prints; in a terminal, above the line
    /// being typed, which is drawn again below what was printed.
    /// </summary>
    public async Task PrintAboveAsync(Action print, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PrintAbove(print);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Prints, with the gate held.</summary>
    protected virtual void PrintAbove(Action print) => print();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Gate.Dispose();
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
