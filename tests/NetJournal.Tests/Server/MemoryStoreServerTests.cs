using System.Net;
using System.Net.Sockets;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

/// <summary>A whole JournalServer on loopback over <see cref="MemoryJournalStore"/>: the server depends on the store's interface only.</summary>
public sealed class MemoryStoreServerTests : IAsyncLifetime
{
    private const ulong Instance = 0xA11CE;

    private readonly RecordingListener _listener = new();
    private readonly MemoryJournalStore _store = new();
    private JournalServer _server = null!;
    private LoopbackProbe _probe = null!;

    public ValueTask InitializeAsync()
    {
        var options = new JournalServerOptions { Bind = IPAddress.Loopback, Port = 0, OpenStore = _ => _store, DataDirectory = "/nonexistent" };
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
    }

    private static AppendRequest Append(ulong @base, ulong first, params string[] texts) =>
        new(Instance, @base, first, "办公室", texts.Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t)).ToArray());

    private T WithToken<T>(Func<ReadOnlyMemory<byte>, JournalMessage> request) where T : JournalMessage
    {
        var challenge = _probe.Ask<RetryChallenge>(request(ReadOnlyMemory<byte>.Empty));
        return _probe.Ask<T>(request(challenge.Token.ToArray()));
    }

    [Fact]
    public void Notes_are_stored_a_retry_is_a_duplicate_and_a_gap_waits_for_its_predecessor()
    {
        Assert.Same(_store, _server.Store);
        Assert.Equal([NoteResult.Stored(1), NoteResult.Stored(2)], _probe.Ask<AppendAck>(Append(1, 1, "第一条", "second")).Results);
        Assert.All(_probe.Ask<AppendAck>(Append(1, 1, "第一条", "second")).Results, r => Assert.Equal(NoteStatus.Duplicate, r.Status));
        // Number 4 before 3: it waits, and is stored once 3 came.
        Assert.Equal([NoteResult.Deferred], _probe.Ask<AppendAck>(Append(3, 4, "fourth")).Results);
        Assert.Equal([NoteResult.Stored(3)], _probe.Ask<AppendAck>(Append(3, 3, "third")).Results);
        Assert.Equal([NoteResult.Stored(4)], _probe.Ask<AppendAck>(Append(4, 4, "fourth")).Results);
        Assert.Equal(4, _store.NoteCount);
    }

    [Fact]
    public void Count_history_and_clients_are_answered_from_the_store()
    {
        _probe.Ask<AppendAck>(Append(1, 1, "今天天气很好 🙂", "Disk full", "disk ok"));

        var count = _probe.Ask<CountReply>(new CountRequest(1, ReadOnlyMemory<byte>.Empty, 2, HistoryFilter.None));
        Assert.Equal((3UL, 1UL, 3UL, 3UL), (count.Matched, count.StartAfterSeq, count.EndSeq, count.TotalNotes));

        var page = WithToken<HistoryPage>(token => new HistoryRequest(2, token, 0, 0, 1232, HistoryFilter.None));
        Assert.True(page.Complete);
        Assert.Equal(["今天天气很好 🙂", "Disk full", "disk ok"], page.Notes.Select(n => n.Text));
        Assert.All(page.Notes, n => Assert.Equal("办公室", n.Client));

        var grep = WithToken<HistoryPage>(token => new HistoryRequest(3, token, 0, 0, 1232, new HistoryFilter(Grep: "DISK")));
        Assert.Equal([2UL, 3UL], grep.Notes.Select(n => n.Seq));

        var clients = WithToken<ClientsPage>(token => new ClientsRequest(4, token, 0, 1232));
        var client = Assert.Single(clients.Clients);
        Assert.Equal(("办公室", 3UL), (client.Name, client.NoteCount));
    }

    [Fact]
    public async Task Listeners_get_the_committed_notes_with_their_fields_and_only_those_stored()
    {
        var ack = _probe.Ask<AppendAck>(Append(1, 1, "原文 \"quoted\"", "second"));
        _probe.Ask<AppendAck>(Append(1, 1, "原文 \"quoted\"", "second"));
        using (var plain = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            plain.SendTo(Encoding.UTF8.GetBytes("a plain-text note"), new IPEndPoint(IPAddress.Loopback, _server.LocalEndPoint.Port));
        await _listener.WhenAtLeast(3).WaitAsync(TimeSpan.FromSeconds(10));

        var notes = _listener.Notes;
        Assert.Equal(3, notes.Count);
        Assert.Equal([1UL, 2UL, 3UL], notes.Select(n => n.Seq));
        Assert.Equal(["原文 \"quoted\"", "second", "a plain-text note"], notes.Select(n => n.Text));
        Assert.Equal([NoteOrigin.Native, NoteOrigin.Native, NoteOrigin.PlainText], notes.Select(n => n.Origin));
        Assert.Equal(ack.Results.Select(r => r.Seq), notes.Take(2).Select(n => n.Seq));
        var stored = _store.ReadPage(HistoryFilter.None, 0, 0, int.MaxValue).Notes;
        Assert.Equal(stored, notes.Select(n => n.ToNote()));
    }
}
