using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NetJournal.Cli;
using NetJournal.Cli.Commands;
using NetJournal.Cli.Editing;
using NetJournal.Cli.Live;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>
/// The interactive session with a live note source the test feeds, against a real server: others' notes are printed as
/// they come, the session's own notes only once (confirmed), and live notes go on strictly after the history shown.
/// </summary>
public sealed class LiveNotesSessionTests
{
    /// <summary>A live note source whose notes the test gives; it says which seq it was asked to go on after.</summary>
    private sealed class FedLiveSource : ILiveNoteSource
    {
        private readonly Channel<LiveNoteEvent> _events = Channel.CreateUnbounded<LiveNoteEvent>();
        private readonly TaskCompletionSource<ulong?> _after = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ulong?> After => _after.Task;

        public void Give(LiveNoteEvent item) => _events.Writer.TryWrite(item);

        public async IAsyncEnumerable<LiveNoteEvent> FollowAsync(ulong? afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            _after.TrySetResult(afterSeq);
            while (true) yield return await _events.Reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>Lines a person types, given by the test as it goes.</summary>
    private sealed class TypedInput : TextReader
    {
        private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();

        public void Type(string? line) => _lines.Writer.TryWrite(line);

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
            await _lines.Reader.ReadAsync(cancellationToken);
    }

    /// <summary>A writer that tells when a given text has been written to it.</summary>
    private sealed class ObservedWriter : StringWriter
    {
        private readonly Lock _lock = new();
        private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

        public Task Shows(string text)
        {
            lock (_lock)
            {
                var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (ToString().Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
                else _awaited.Add((text, seen));
                return seen.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            }
        }

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
                Check();
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
                Check();
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
                Check();
            }
        }

        private void Check()
        {
            var text = ToString();
            _awaited.RemoveAll(a => text.Contains(a.Text, StringComparison.Ordinal) && a.Seen.TrySetResult());
        }
    }

    private static Note NoteOf(ulong seq, string client, string text) =>
        new(seq, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), client, "127.0.0.1:5000", text);

    [Fact]
    public async Task Others_notes_are_printed_as_they_come_and_the_sessions_own_once()
    {
        await using var server = TestServer.Start();
        await using (var bob = server.Client("bob"))
            Assert.True((await bob.WriteAsync("before the session", TestContext.Current.CancellationToken)).IsStored);

        var output = new ObservedWriter();
        var error = new ObservedWriter();
        var context = new CliContext { Out = output, Error = error, In = TextReader.Null, Environment = _ => null };
        var input = new TypedInput();
        var live = new FedLiveSource();
        await using var client = server.Client("ana");
        using var console = new PipedSessionConsole(input);
        var session = new InteractiveSession(client, context, new HistoryCommand(new GlobalOptions(), context), console, live)
            .RunAsync(new HistoryQuery(HistoryFilter.None, InteractiveSession.DefaultLast, OutputFormat.Text, false), TestContext.Current.CancellationToken);

        // Live notes go on strictly after the last note the history showed.
        Assert.Equal(1UL, await live.After.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        input.Type("my own 笔记");
        await error.Shows("stored #2");
        // The session's own note comes back live: it is not printed again. Then another's note, and a status line.
        live.Give(LiveNoteEvent.Stored(NoteOf(2, "ana", "my own 笔记")));
        live.Give(LiveNoteEvent.Stored(NoteOf(3, "bob", "来自 bob 的笔记")));
        live.Give(LiveNoteEvent.Said("the server is back"));
        await output.Shows("来自 bob 的笔记");
        await error.Shows("the server is back");

        // A note starting with "/" is typed with "//".
        input.Type("//etc/hosts is a file");
        await error.Shows("stored #3");
        input.Type(null);
        Assert.Equal(0, await session.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.DoesNotContain("my own 笔记", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("  bob  来自 bob 的笔记\n", output.ToString().ReplaceLineEndings("\n"));
        // The live note is the same day as the history's last note: no second heading.
        Assert.Single(output.ToString().Split('\n'), line => line.StartsWith("── ", StringComparison.Ordinal));
        await using var reader = server.Client("reader");
        var stored = new List<Note>();
        await foreach (var note in reader.HistoryAsync(HistoryFilter.None, 0, TestContext.Current.CancellationToken)) stored.Add(note);
        Assert.Equal(["before the session", "my own 笔记", "/etc/hosts is a file"], stored.Select(n => n.Text));
    }

    [Fact]
    public async Task Live_notes_of_an_empty_journal_start_at_its_beginning()
    {
        await using var server = TestServer.Start();
        var context = new CliContext { Out = new StringWriter(), Error = new StringWriter(), In = TextReader.Null, Environment = _ => null };
        var live = new FedLiveSource();
        await using var client = server.Client("ana");
        var input = new TypedInput();
        using var console = new PipedSessionConsole(input);
        var session = new InteractiveSession(client, context, new HistoryCommand(new GlobalOptions(), context), console, live)
            .RunAsync(new HistoryQuery(HistoryFilter.None, InteractiveSession.DefaultLast, OutputFormat.Text, false), TestContext.Current.CancellationToken);
        Assert.Equal(0UL, await live.After.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        input.Type("/quit");
        Assert.Equal(0, await session.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_piped_session_with_live_prints_others_notes_through_follow()
    {
        await using var server = TestServer.Start();
        var output = new ObservedWriter();
        var error = new ObservedWriter();
        var input = new TypedInput();
        var context = new CliContext { Out = output, Error = error, In = input, Environment = _ => null };
        var session = CliApp.RunAsync(["-s", server.Address, "-n", "ana", "--live"], context, TestContext.Current.CancellationToken);
        await error.Shows("NetJournal at");

        // The journal was empty: live notes start at its beginning, so bob's note comes whenever it is stored.
        await using (var bob = server.Client("bob"))
            Assert.True((await bob.WriteAsync("live into a pipe", TestContext.Current.CancellationToken)).IsStored);
        await output.Shows("  bob  live into a pipe");
        input.Type("ana's own");
        await error.Shows("stored #2");
        input.Type(null);
        Assert.Equal(0, await session.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.DoesNotContain("\u001b", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ana's own", output.ToString(), StringComparison.Ordinal);
    }
}
