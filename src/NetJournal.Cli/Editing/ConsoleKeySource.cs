using System.Threading.Channels;

namespace NetJournal.Cli.Editing;

/// <summary>
/// The console's keys, read with <see cref="Console.ReadKey(bool)"/> (no echo) on one background thread, since the
/// console offers no asynchronous key read; keys pressed while the session is busy wait in order (type-ahead). The
/// thread is a background thread blocked in the read: it ends with the process. Ctrl-C is not a key here: it stays
/// a signal (<see cref="Console.TreatControlCAsInput"/> is left false), which cancels the session.
/// </summary>
public sealed class ConsoleKeySource : IKeySource
{
    private readonly Channel<ConsoleKeyInfo?> _keys = Channel.CreateUnbounded<ConsoleKeyInfo?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Lazy<Thread> _reader;

    public ConsoleKeySource()
    {
        _reader = new Lazy<Thread>(() =>
        {
            var thread = new Thread(ReadKeys) { IsBackground = true, Name = "console keys" };
            thread.Start();
            return thread;
        });
    }

    public ValueTask<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken)
    {
        _ = _reader.Value;
        return _keys.Reader.ReadAsync(cancellationToken);
    }

    private void ReadKeys()
    {
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                // An empty key is what a closed terminal gives: no more keys.
                if (key.Key == 0 && key.KeyChar == '\0' && key.Modifiers == 0) break;
                _keys.Writer.TryWrite(key);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Standard input stopped being a console: no more keys.
        }
        _keys.Writer.TryWrite(null);
    }
}
