using System.Net;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Server;

/// <summary>
/// Notes written inside the server's process (<see cref="JournalServer.AppendAsync"/>, for the web view and the bot):
/// stored in the same group commits as datagrams, into the real journal file, answered once durable, seen by the listeners.
/// </summary>
public sealed class LocalAppendTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly RecordingListener _listener = new();
    private JournalServer _server = null!;
    private LoopbackProbe _probe = null!;

    public ValueTask InitializeAsync()
    {
        var options = new JournalServerOptions { Bind = IPAddress.Loopback, Port = 0, DataDirectory = _directory.Path };
        options.CommitListeners.Add(_listener);
        _server = new JournalServer(options);
        _server.Start();
        _probe = new LoopbackProbe(_server.LocalEndPoint.Port);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _probe.Dispose();
        await _server.StopAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_local_note_is_stored_with_its_origin_and_told_to_the_listeners()
    {
        var result = await _server.AppendAsync(new LocalNote("ann", "127.0.0.1:50000", "从网页写的 🙂", NoteOrigin.Web), TestContext.Current.CancellationToken);

        Assert.True(result.IsStored);
        Assert.Equal(new NoteResult(NoteStatus.Stored, 1, ErrorCode.None), result.Result);
        Assert.True(result.TimeMs > 0);
        // Listeners are told right after the acknowledgements go out, so after the answer, not before it.
        await _listener.WhenAtLeast(1).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var committed = Assert.Single(_listener.Notes);
        Assert.Equal(new CommittedNote(1, result.TimeMs, "ann", "127.0.0.1:50000", "从网页写的 🙂", NoteOrigin.Web), committed);
        // Durable before the answer: the line is in the file already, with its origin.
        var line = Assert.Single(File.ReadAllLines(_directory.JournalPath));
        Assert.Contains("\"origin\":\"web\"", line);
        Assert.Equal(NoteOrigin.Web, Assert.Single(_server.Store.ReadPage(HistoryFilter.None, 0, 0, int.MaxValue).Notes).Origin);
    }

    [Theory]
    [InlineData("ann", "", ErrorCode.EmptyNote)]
    [InlineData("ann", "two\nlines", ErrorCode.NotOneLine)]
    [InlineData("", "a note", ErrorCode.BadName)]
    public async Task A_note_or_name_that_breaks_the_rules_is_refused_and_nothing_is_stored(string client, string text, ErrorCode error)
    {
        var result = await _server.AppendAsync(new LocalNote(client, "127.0.0.1:1", text, NoteOrigin.Web), TestContext.Current.CancellationToken);

        Assert.False(result.IsStored);
        Assert.Equal(NoteResult.Rejected(error), result.Result);
        Assert.Equal(0, _server.Store.NoteCount);
    }

    [Fact]
    public async Task Local_notes_and_datagrams_from_many_threads_each_get_their_own_seq()
    {
        var ct = TestContext.Current.CancellationToken;
        var local = Enumerable.Range(0, 200).Select(i => Task.Run(() => _server.AppendAsync(new LocalNote("bot", "server", $"answer {i}", NoteOrigin.Bot), ct), ct)).ToArray();
        var ack = _probe.Ask<AppendAck>(new AppendRequest(0xBEEF, 1, 1, "pc", [Encoding.UTF8.GetBytes("typed")]));
        var results = await Task.WhenAll(local);

        Assert.All(results, r => Assert.True(r.IsStored));
        var seqs = results.Select(r => r.Result.Seq).Append(Assert.Single(ack.Results).Seq).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 201).Select(i => (ulong)i).ToArray(), seqs);
        Assert.Equal(201, File.ReadAllLines(_directory.JournalPath).Length);
    }

    [Fact]
    public async Task After_stop_a_local_note_is_refused_as_busy()
    {
        await _server.StopAsync();

        var result = await _server.AppendAsync(new LocalNote("ann", "127.0.0.1:1", "too late", NoteOrigin.Web), TestContext.Current.CancellationToken);

        Assert.Equal(NoteResult.Rejected(ErrorCode.ServerBusy), result.Result);
    }
}
