using System.Threading.Channels;
using NetJournal.Cli.Editing;

namespace NetJournal.Tests.Cli;

/// <summary>Keys a test types; <see cref="TypeAsync"/> completes once the reader has handled them all and asks for the next.</summary>
internal sealed class ScriptedKeys : IKeySource
{
    private readonly Channel<ConsoleKeyInfo?> _keys = Channel.CreateUnbounded<ConsoleKeyInfo?>();
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken)
    {
        if (_keys.Reader.TryRead(out var key)) return key;
        _idle.TrySetResult();
        return await _keys.Reader.ReadAsync(cancellationToken);
    }

    /// <summary>Types keys that end the line (Enter, Ctrl-D): the reader returns rather than ask for more.</summary>
    public void Type(IEnumerable<ConsoleKeyInfo> keys)
    {
        foreach (var key in keys) _keys.Writer.TryWrite(key);
    }

    public Task TypeAsync(IEnumerable<ConsoleKeyInfo> keys)
    {
        var idle = _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var key in keys) _keys.Writer.TryWrite(key);
        return idle.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The terminal goes away: no more keys.</summary>
    public void Close() => _keys.Writer.TryWrite(null);
}
