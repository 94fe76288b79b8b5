using Microsoft.Extensions.Logging;
using NetJournal.Protocol.Sealing;
using NetJournal.Server.Keys;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Server;

/// <summary>
/// The clients file rewritten in place (truncated, then written, as an editor or <c>cat new &gt; clients</c> does), with
/// a real file and a real watcher: a reload never adopts the truncated file, and a file left with a bad line keeps the
/// clients of the last good read.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClientRegistryTests : IDisposable
{
    // Longer than the gap the test leaves between the two steps of a rewrite, so only a read taken mid-write could fall in it.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MidWrite = TimeSpan.FromMilliseconds(400);

    private readonly TempDirectory _folder = new();
    private readonly ClientKey _ana = ClientKey.Generate();
    private readonly ClientKey _ben = ClientKey.Generate();

    private string ClientsPath => Path.Combine(_folder.Path, "clients");

    private string[] Lines => [$"ana {_ana} write,read-all", $"ben {_ben} read-own"];

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_in_place_rewrite_never_leaves_the_registry_without_clients()
    {
        var (registry, log) = Start();
        using var _ = registry;
        var counts = new List<int>();
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        registry.Reloaded += () =>
        {
            lock (counts) counts.Add(registry.File.Clients.Count);
            reloaded.TrySetResult();
        };

        await RewriteInPlaceAsync([.. Lines, $"cat {ClientKey.Generate()} write"], registry);
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        lock (counts) Assert.Equal([3], counts);
        Assert.Equal(3, registry.File.Clients.Count);
        Assert.DoesNotContain(log.Messages, m => m.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_left_with_a_typo_keeps_the_previous_clients_and_logs_the_line()
    {
        var (registry, log) = Start();
        using var _ = registry;
        var counts = new List<int>();
        registry.Reloaded += () => { lock (counts) counts.Add(registry.File.Clients.Count); };

        await RewriteInPlaceAsync([.. Lines, "eve nj1-typo write"], registry);
        var failed = await log.Failed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Contains("line 4: the key is not", failed, StringComparison.Ordinal);
        lock (counts) Assert.Empty(counts);
        Assert.Equal(["ana", "ben"], registry.File.Clients.Select(c => c.Name));
    }

    private (ClientRegistry Registry, ListLogger Log) Start()
    {
        File.WriteAllText(ClientsPath, string.Join('\n', Lines) + "\n");
        File.SetUnixFileMode(ClientsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var log = new ListLogger();
        var registry = new ClientRegistry(ClientsPath, log, Quiet);
        registry.Watch();
        return (registry, log);
    }

    /// <summary>
    /// Truncates the file and writes a first part (a comment: as a file, no clients), leaves it so for a while shorter
    /// than the quiet period (long enough for a reload that does not wait to read it), then writes the rest.
    /// </summary>
    private static async Task RewriteInPlaceAsync(string[] lines, ClientRegistry registry)
    {
        using var stream = new FileStream(registry.File.Path, FileMode.Truncate, FileAccess.Write);
        using var writer = new StreamWriter(stream);
        writer.Write("# clients\n");
        writer.Flush();
        stream.Flush(flushToDisk: true);
        var early = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        registry.Reloaded += () => early.TrySetResult();
        // Not synchronisation: the window a writer leaves open, in which nothing may be adopted.
        await Task.WhenAny(early.Task, Task.Delay(MidWrite, TestContext.Current.CancellationToken));
        writer.Write(string.Join('\n', lines) + "\n");
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Keeps what is logged; <see cref="Failed"/> completes with the first failed reload's message.</summary>
    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _messages = [];

        public TaskCompletionSource<string> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Messages
        {
            get { lock (_messages) return [.. _messages]; }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            lock (_messages) _messages.Add(message);
            if (message.Contains("could not be read", StringComparison.Ordinal)) Failed.TrySetResult(message);
        }
    }
}
