using System.Net;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;
using NetJournal.Server.Keys;
using NetJournal.Testing;

namespace NetJournal.IntegrationTests;

/// <summary>Private journals: keyed clients, rights, and what a listener or a replayer on the path can do (issue: keys and rights).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeysTests : IAsyncLifetime
{
    private readonly string _folder = TestServer.TempDirectory();
    private readonly ClientKey _alice = ClientKey.Generate();
    private readonly ClientKey _bob = ClientKey.Generate();
    private TestServer _server = null!;

    private string ClientsPath => Path.Combine(_folder, "clients");

    public ValueTask InitializeAsync()
    {
        WriteClients($"alice {_alice} write,read-all", $"bob {_bob} write,read-own");
        _server = TestServer.Start(configure: o => o.ClientsFile = ClientsPath);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private void WriteClients(params string[] lines)
    {
        // Written beside and renamed over, as an editor saves, so a reload never reads half a file.
        var temporary = ClientsPath + ".new";
        File.WriteAllText(temporary, "# name key rights\n" + string.Join('\n', lines) + "\n");
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, ClientsPath, overwrite: true);
    }

    private static JournalClient Keyed(IPEndPoint server, ClientKey key, string claimedName, double giveUpSeconds = 10) =>
        new(server, new SealedDatagramTransport(new UdpDatagramTransport(server), key),
            new JournalClientOptions { Name = claimedName, GiveUpAfter = TimeSpan.FromSeconds(giveUpSeconds) });

    private static async Task<List<Note>> History(JournalClient client, HistoryFilter? filter = null)
    {
        var notes = new List<Note>();
        await foreach (var note in client.HistoryAsync(filter ?? HistoryFilter.None)) notes.Add(note);
        return notes;
    }

    [Fact]
    public async Task A_read_own_follower_is_pushed_only_its_own_notes_while_a_read_all_follower_gets_every_note()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var alice = Keyed(_server.EndPoint, _alice, "alice");
        await using var bob = Keyed(_server.EndPoint, _bob, "bob");
        await using var aliceReader = Keyed(_server.EndPoint, _alice, "alice");
        await using var bobReader = Keyed(_server.EndPoint, _bob, "bob");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(60));

        // Both follow from the start (after seq 0), so catch-up and live pushes both pass through the reader's rights.
        var bobSaw = Collect(bobReader.FollowAsync(HistoryFilter.None, FollowStart.After(0), stop.Token), 3, stop.Token);
        var aliceSaw = Collect(aliceReader.FollowAsync(HistoryFilter.None, FollowStart.After(0), stop.Token), 6, stop.Token);
        for (var i = 1; i <= 3; i++)
        {
            Assert.True((await alice.WriteAsync($"alice {i}")).IsStored);
            Assert.True((await bob.WriteAsync($"bob {i}")).IsStored);
        }

        Assert.Equal(["alice 1", "bob 1", "alice 2", "bob 2", "alice 3", "bob 3"], (await aliceSaw).Select(n => n.Text));
        Assert.Equal(["bob 1", "bob 2", "bob 3"], (await bobSaw).Select(n => n.Text));
        Assert.All(await bobSaw, n => Assert.Equal("bob", n.Client));
    }

    /// <summary>The first <paramref name="count"/> notes a follow hands out; then it stops following.</summary>
    private static async Task<List<Note>> Collect(IAsyncEnumerable<FollowEvent> events, int count, CancellationToken ct)
    {
        var notes = new List<Note>();
        await foreach (var e in events.WithCancellation(ct))
        {
            if (e.Note is { } note) notes.Add(note);
            if (notes.Count == count) break;
        }
        return notes;
    }

    [Fact]
    public async Task Keyed_clients_write_under_their_file_names_read_own_sees_its_own_and_a_keyless_client_can_neither_write_nor_read()
    {
        await using var alice = Keyed(_server.EndPoint, _alice, "mallory");
        await using var bob = Keyed(_server.EndPoint, _bob, "bob");
        await using var keyless = _server.Client("carol", new JournalClientOptions { GiveUpAfter = TimeSpan.FromSeconds(5) });

        Assert.True((await alice.WriteAsync("from alice")).IsStored);
        Assert.True((await bob.WriteAsync("from bob")).IsStored);

        var all = await History(alice);
        Assert.Equal(["alice: from alice", "bob: from bob"], all.Select(n => $"{n.Client}: {n.Text}"));
        var own = await History(bob);
        Assert.Equal(["bob: from bob"], own.Select(n => $"{n.Client}: {n.Text}"));
        Assert.Empty(await History(bob, new HistoryFilter(Client: "alice")));
        Assert.Equal(1UL, (await bob.CountAsync(HistoryFilter.None)).Matched);
        Assert.Equal(["bob"], (await bob.ClientsAsync()).Select(c => c.Name));
        Assert.Equal(["alice", "bob"], (await alice.ClientsAsync()).Select(c => c.Name));

        var refused = await keyless.WriteAsync("from carol");
        Assert.Equal(ErrorCode.KeyRequired, refused.Error);
        var error = await Assert.ThrowsAsync<JournalRequestException>(() => History(keyless));
        Assert.Equal(ErrorCode.KeyRequired, error.Code);
        Assert.Equal(2, _server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task A_client_without_a_read_right_is_refused_and_one_without_write_has_its_notes_refused()
    {
        var reader = ClientKey.Generate();
        var writer = ClientKey.Generate();
        await ReloadAsync(() => WriteClients($"alice {_alice} write,read-all", $"reader {reader} read-own", $"writer {writer} write"));
        await using var readOnly = Keyed(_server.EndPoint, reader, "reader");
        await using var writeOnly = Keyed(_server.EndPoint, writer, "writer");

        Assert.Equal(ErrorCode.WriteNotPermitted, (await readOnly.WriteAsync("may not")).Error);
        Assert.True((await writeOnly.WriteAsync("may")).IsStored);
        var error = await Assert.ThrowsAsync<JournalRequestException>(() => History(writeOnly));
        Assert.Equal(ErrorCode.ReadNotPermitted, error.Code);
        Assert.Empty(await History(readOnly));
    }

    [Fact]
    public async Task A_captured_datagram_replayed_is_not_stored_twice_and_gets_nothing_back()
    {
        await using var relay = new CaptureRelay(_server.EndPoint);
        await using (var alice = Keyed(relay.EndPoint, _alice, "alice"))
            Assert.True((await alice.WriteAsync("only once")).IsStored);
        var appends = relay.ToServer.Where(d => SealedDatagram.IsSealed(d) && d[4] == (byte)MessageType.AppendRequest).ToList();
        Assert.NotEmpty(appends);
        var replaysBefore = _server.Server.Counters.Replays;

        // From the relay's own upstream path is impossible to reach now; from a new address and from the same one again.
        using var attacker = new RawUdp(_server.EndPoint);
        foreach (var datagram in appends) attacker.Send(datagram);
        foreach (var datagram in appends) attacker.Send(datagram);

        Assert.Null(await attacker.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(replaysBefore + 2 * appends.Count, _server.Server.Counters.Replays);
        Assert.Equal(1, _server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task A_flipped_bit_anywhere_fails_authentication_and_is_counted()
    {
        await using var relay = new CaptureRelay(_server.EndPoint);
        // The first sealed append is captured and kept from the server (the client sends it again): its counter is
        // one the server never accepted, so only authentication stands between a changed copy and the journal.
        var held = 0;
        relay.HoldToServer = d => SealedDatagram.IsSealed(d) && d[4] == (byte)MessageType.AppendRequest && Interlocked.Exchange(ref held, 1) == 0;
        await using (var alice = Keyed(relay.EndPoint, _alice, "alice"))
            Assert.True((await alice.WriteAsync("flip me")).IsStored);
        var append = Assert.Single(relay.Held);
        var counters = _server.Server.Counters;
        var before = counters.AuthFailed + counters.Replays + counters.PlainRefused + counters.Unsealed;

        using var attacker = new RawUdp(_server.EndPoint);
        var sent = 0;
        for (var bit = 0; bit < append.Length * 8; bit++)
        {
            var changed = (byte[])append.Clone();
            changed[bit / 8] ^= (byte)(1 << (bit % 8));
            attacker.Send(changed);
            sent++;
        }
        // Every one of them ends in a counter, and none is stored or answered.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (counters.AuthFailed + counters.Replays + counters.PlainRefused + counters.Unsealed - before < sent && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(sent, counters.AuthFailed + counters.Replays + counters.PlainRefused + counters.Unsealed - before);
        // Only the magic's 24 bits and the Sealed flag make it no sealed datagram at all, and a changed counter may name
        // one already taken (a replay); every other change fails authentication.
        Assert.True(counters.AuthFailed >= append.Length * 8 - 24 - 1 - 64, $"authFailed {counters.AuthFailed} of {sent}");
        Assert.Null(await attacker.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, _server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task A_wrong_key_gets_no_answer()
    {
        var wrong = ClientKey.Generate();
        using var raw = new RawUdp(_server.EndPoint);
        var init = new byte[SessionHandshake.InitSize];
        SessionHandshake.WriteInit(wrong, new byte[SessionKeys.RandomSize], init);
        raw.Send(init);
        // alice's key id with a MAC made under another key: no answer either.
        var forged = (byte[])init.Clone();
        _alice.Id.CopyTo(forged.AsSpan(6));
        raw.Send(forged);
        Assert.Null(await raw.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
        Assert.True(_server.Server.Counters.AuthFailed >= 2);

        await using var client = Keyed(_server.EndPoint, wrong, "alice", giveUpSeconds: 1);
        Assert.False(await StoredAsync(client, "never"));
        Assert.Equal(0, _server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task A_client_taken_out_of_the_file_is_refused_after_the_reload()
    {
        await using var bob = Keyed(_server.EndPoint, _bob, "bob", giveUpSeconds: 1.5);
        Assert.True((await bob.WriteAsync("before")).IsStored);

        await ReloadAsync(() => WriteClients($"alice {_alice} write,read-all"));

        Assert.False(await StoredAsync(bob, "after"));
        await Assert.ThrowsAsync<JournalUnavailableException>(() => History(bob));
        Assert.Equal(1, _server.Server.Store.NoteCount);
    }

    /// <summary>Whether the note was stored; a client that hears nothing says so as an unanswered outcome or an exception.</summary>
    private static async Task<bool> StoredAsync(JournalClient client, string note)
    {
        try
        {
            return (await client.WriteAsync(note)).IsStored;
        }
        catch (JournalUnavailableException)
        {
            return false;
        }
    }

    private async Task ReloadAsync(Action change)
    {
        var registry = _server.Server.Clients!;
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = registry.File;
        registry.Reloaded += () => { if (!ReferenceEquals(registry.File, before)) reloaded.TrySetResult(); };
        change();
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_client_started_again_mid_session_never_reuses_a_nonce()
    {
        await using var relay = new CaptureRelay(_server.EndPoint);
        // The same key in two client lives, the first dropped without a goodbye, as a crash would leave it.
        for (var life = 0; life < 2; life++)
        {
            var alice = Keyed(relay.EndPoint, _alice, "alice");
            for (var i = 0; i < 3; i++) Assert.True((await alice.WriteAsync($"life {life} note {i}")).IsStored);
            await alice.DisposeAsync();
        }
        var sealedSent = relay.ToServer.Where(d => SealedDatagram.IsSealed(d)).Select(d => SealedDatagram.ReadIds(d)).ToList();
        var inits = relay.ToServer.Where(d => SessionHandshake.IsInit(d)).Select(d => Convert.ToHexString(SessionHandshake.InitClientRandom(d))).Distinct().ToList();

        Assert.Equal(sealedSent.Count, sealedSent.Distinct().Count());
        // Both lives counted from 0, but under two sessions whose keys came from different randomness.
        var sessions = sealedSent.Select(s => s.SessionId).Distinct().ToList();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, id => Assert.Contains((id, 0UL), sealedSent));
        Assert.Equal(2, inits.Count);
        Assert.Equal(6, _server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task Neither_a_note_nor_a_name_is_in_clear_on_the_wire()
    {
        await using var relay = new CaptureRelay(_server.EndPoint);
        const string text = "the combination is 4-8-15-16 秘密";
        await using (var alice = Keyed(relay.EndPoint, _alice, "alice"))
        {
            Assert.True((await alice.WriteAsync(text)).IsStored);
            Assert.Contains(await History(alice), n => n.Text == text);
            Assert.NotEmpty(await alice.ClientsAsync());
        }
        var captured = relay.ToServer.Concat(relay.ToClient).ToList();
        Assert.True(captured.Count >= 4);
        foreach (var needle in new[] { text, "combination", "alice" })
        {
            var bytes = Encoding.UTF8.GetBytes(needle);
            Assert.DoesNotContain(captured, d => d.AsSpan().IndexOf(bytes) >= 0);
        }
        Assert.Contains("\"client\":\"alice\"", File.ReadAllText(_server.JournalPath));
    }

    [Fact]
    public async Task Plain_text_is_refused_with_keys_on_unless_its_network_is_allowed_and_then_marked_unauthenticated()
    {
        using var raw = new RawUdp(_server.EndPoint);
        raw.Send("plain note"u8);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (_server.Server.Counters.PlainRefused == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, _server.Server.Counters.PlainRefused);

        await using var open = TestServer.Start(configure: o => { o.ClientsFile = ClientsPath; o.AllowPlain = [IPNetwork.Parse("127.0.0.0/8")]; });
        using var allowed = new RawUdp(open.EndPoint);
        allowed.Send("plain note"u8);
        await using var alice = Keyed(open.EndPoint, _alice, "alice");
        var deadline2 = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        List<Note> notes = [];
        while (notes.Count == 0 && DateTime.UtcNow < deadline2) notes = await History(alice);
        Assert.Equal(["[127.0.0.1]"], notes.Select(n => n.Client));
        Assert.Equal(NoteOrigin.PlainText, notes[0].Origin);
    }
}
