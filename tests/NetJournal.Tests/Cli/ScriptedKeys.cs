using System.Threading.Channels;
using NetJournal.Cli.Editing;

namespace NetJournal.Tests.Cli;

/// <summary>Keys a test types; <see cref="TypeAsync"/> completes once the reader has handled them all and asks for the next.</summary>
internal sealed class ScriptedKeys : IKeySource
{
    private readonly Channel<ConsoleKeyInfo?> _keys = Channel.CreateUnbounded<ConsoleKeyInfo?>();
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Keys typed and keys read: the reader is idle only when it has read every key typed, not merely when it asks
    // before the typing loop has written the next one.
    private long _typed, _read;

    public async ValueTask<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken)
    {
        if (_keys.Reader.TryRead(out var key))
        {
            Interlocked.Increment(ref _read);
            return key;
        }
        if (Interlocked.Read(ref _read) == Interlocked.Read(ref _typed)) _idle.TrySetResult();
        key = await _keys.Reader.ReadAsync(cancellationToken);
        Interlocked.Increment(ref _read);
        return key;
    }

    /// <summary>Types keys that end the line (Enter, Ctrl-D): the reader returns rather than ask for more.</summary>
    public void Type(IEnumerable<ConsoleKeyInfo> keys)
    {
        var all = keys.ToList();
        Interlocked.Add(ref _typed, all.Count);
        foreach (var key in all) _keys.Writer.TryWrite(key);
    }

    public Task TypeAsync(IEnumerable<ConsoleKeyInfo> keys)
    {
        var idle = _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = keys.ToList();
        // Counted before any is written: a reader that finds the queue empty between two of them is not idle.
        Interlocked.Add(ref _typed, all.Count);
        foreach (var key in all) _keys.Writer.TryWrite(key);
        return idle.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The terminal goes away: no more keys.</summary>
    public void Close()
    {
        Interlocked.Increment(ref _typed);
        _keys.Writer.TryWrite(null);
    }
}
