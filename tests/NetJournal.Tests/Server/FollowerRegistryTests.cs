using System.Net;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Server;

/// <summary>
/// The follower registry driven by hand, without its task or a socket: Follows and committed batches go in, the
/// datagrams it would send are decoded and checked (registration, filters, leases, the push budget, gaps in seq).
/// </summary>
public sealed class FollowerRegistryTests
{
    private sealed class RecordedSends : IReplySender
    {
        public List<(JournalMessage Message, ClientAddress To)> Sent { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram, ClientAddress to)
        {
            Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram.ToArray(), out var message));
            Sent.Add((message!, to));
        }

        public List<Notify> PushesTo(ClientAddress to) =>
            Sent.Where(s => s.To == to && s.Message is Notify { RequestId: 0 }).Select(s => (Notify)s.Message).ToList();
    }

    private static readonly ClientAddress Ana = new(new IPEndPoint(IPAddress.Loopback, 40001));
    private static readonly ClientAddress Bob = new(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 40002));

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-30T08:00:00Z"));
    private readonly RecordedSends _sends = new();
    private readonly ServerCounters _counters = new();
    private readonly AddressValidator _validator;
    private ulong _lastSeq;

    public FollowerRegistryTests() => _validator = new AddressValidator(_time);

    private FollowerRegistry Registry(Action<JournalServerOptions>? configure = null)
    {
        var options = new JournalServerOptions();
        configure?.Invoke(options);
        return new FollowerRegistry(new ReplyGate(_sends, _counters), _validator, _counters, () => _lastSeq, options, _time);
    }

    private FollowRequest Follow(ClientAddress from, ulong subscription, ulong afterSeq, HistoryFilter? filter = null, bool token = true) =>
        new(7, token ? _validator.Issue(from.Ip) : ReadOnlyMemory<byte>.Empty, subscription, afterSeq, 1232, filter ?? HistoryFilter.None);

    private CommittedNote[] Batch(params (ulong Seq, string Client, string Text)[] notes)
    {
        _lastSeq = notes[^1].Seq;
        return [.. notes.Select(n => new CommittedNote(n.Seq, 1_764_489_600_000, n.Client, $"127.0.0.1:{40000 + n.Seq}", n.Text))];
    }

    private Notify Answer(ClientAddress to) => (Notify)_sends.Sent.Last(s => s.To == to && s.Message is Notify { RequestId: not 0 }).Message;

    [Fact]
    public void A_follow_without_a_valid_token_is_challenged_and_its_address_is_never_pushed_to()
    {
        var registry = Registry();

        registry.Follow(Follow(Ana, 1, 0, token: false), Ana, 40);
        registry.Follow(Follow(Ana, 1, 0) with { Token = new byte[16] }, Ana, 40);
        registry.Push(Batch((1, "ana", "hello")));

        Assert.Equal(0, registry.Count);
        Assert.All(_sends.Sent, s => Assert.IsType<RetryChallenge>(s.Message));
        Assert.Equal(2, _sends.Sent.Count);
        Assert.Equal(0, _counters.Pushes);
    }

    [Fact]
    public void A_follow_is_answered_with_where_its_pushes_start_the_newest_seq_or_its_own_if_later()
    {
        var registry = Registry();
        _lastSeq = 40;

        registry.Follow(Follow(Ana, 1, 10), Ana, 40);
        registry.Follow(Follow(Bob, 2, 55), Bob, 40);

        var ana = Answer(Ana);
        Assert.Equal((40UL, 40UL, 7U, 30_000U), (ana.AfterSeq, ana.UntilSeq, ana.RequestId, ana.LeaseMs));
        Assert.Empty(ana.Notes);
        Assert.Equal(registry.Epoch, ana.Epoch);
        Assert.Equal(55UL, Answer(Bob).UntilSeq);
        Assert.Equal(2, registry.Count);
    }

    [Fact]
    public void Each_follower_is_pushed_only_the_notes_its_filter_matches_with_the_range_they_cover()
    {
        var registry = Registry();
        registry.Follow(Follow(Ana, 1, 0, new HistoryFilter(Client: "ana")), Ana, 40);
        registry.Follow(Follow(Bob, 2, 0, new HistoryFilter(Grep: "MILK")), Bob, 40);

        registry.Push(Batch((1, "ana", "hello"), (2, "bob", "buy milk"), (3, "ana", "milk too")));
        registry.Push(Batch((4, "bob", "nothing for either")));
        registry.Push(Batch((5, "ana", "again")));

        var ana = _sends.PushesTo(Ana);
        Assert.Equal([[1UL, 3UL], [5UL]], ana.Select(p => p.Notes.Select(n => n.Seq).ToArray()));
        // The second push reaches back over the batch that had nothing for ana: no gap is shown where none is.
        Assert.Equal([(0UL, 3UL), (3UL, 5UL)], ana.Select(p => (p.AfterSeq, p.UntilSeq)));
        var bob = Assert.Single(_sends.PushesTo(Bob));
        Assert.Equal([2UL, 3UL], bob.Notes.Select(n => n.Seq));
        Assert.Equal("buy milk", bob.Notes[0].Text);
    }

    [Fact]
    public void A_follower_whose_lease_ran_out_is_sent_nothing_and_forgotten_and_a_renewal_keeps_it()
    {
        var registry = Registry(o => o.FollowLease = TimeSpan.FromSeconds(30));
        registry.Follow(Follow(Ana, 1, 0), Ana, 40);
        registry.Follow(Follow(Bob, 2, 0), Bob, 40);

        _time.Advance(TimeSpan.FromSeconds(20));
        registry.Follow(Follow(Bob, 2, 0), Bob, 40);
        _time.Advance(TimeSpan.FromSeconds(11));
        registry.Push(Batch((1, "ana", "hello")));

        Assert.Empty(_sends.PushesTo(Ana));
        Assert.Single(_sends.PushesTo(Bob));
        Assert.Equal(1, registry.Count);
        Assert.Equal(1, _counters.FollowsExpired);
        Assert.Equal(2, _counters.Follows);
    }

    [Fact]
    public void Pushes_over_the_follower_budget_are_dropped_and_the_next_push_shows_the_gap()
    {
        var registry = Registry(o =>
        {
            o.FollowPushBurstBytes = 3000;
            o.FollowPushBytesPerSecond = 1000;
        });
        registry.Follow(Follow(Ana, 1, 0), Ana, 40);
        var big = new string('x', 1000);

        for (ulong seq = 1; seq <= 5; seq++) registry.Push(Batch((seq, "ana", big)));
        _time.Advance(TimeSpan.FromSeconds(3));
        registry.Push(Batch((6, "ana", "small")));

        var pushes = _sends.PushesTo(Ana);
        Assert.True(_counters.PushDropped >= 2, $"dropped {_counters.PushDropped}");
        Assert.True(pushes.Sum(p => p.Notes.Sum(n => n.Text.Length)) <= 3000 + 1000 * 3 + 5);
        // Notes 3 to 5 never left: the push of note 6 starts after 5, past what the follower has.
        var last = pushes[^1];
        Assert.Equal(6UL, Assert.Single(last.Notes).Seq);
        Assert.Equal(5UL, last.AfterSeq);
        Assert.True(pushes[^2].UntilSeq < last.AfterSeq);
    }

    [Fact]
    public void Notes_the_registry_never_saw_make_every_follower_s_next_push_start_after_them()
    {
        var registry = Registry();
        registry.Follow(Follow(Ana, 1, 0, new HistoryFilter(Client: "ana")), Ana, 40);

        registry.Push(Batch((1, "ana", "one")));
        // 2 to 4 were committed elsewhere, or their batch found the registry's queue full.
        registry.Push(Batch((5, "bob", "not for ana")));
        registry.Push(Batch((6, "ana", "six")));

        var pushes = _sends.PushesTo(Ana);
        Assert.Equal([(0UL, 1UL), (4UL, 6UL)], pushes.Select(p => (p.AfterSeq, p.UntilSeq)));
    }

    [Fact]
    public void Notes_of_one_batch_that_do_not_fit_one_push_go_in_several_that_chain()
    {
        var registry = Registry();
        registry.Follow(Follow(Ana, 1, 0), Ana, 40);

        registry.Push(Batch([.. Enumerable.Range(1, 10).Select(i => ((ulong)i, "ana", new string('y', 300)))]));

        var pushes = _sends.PushesTo(Ana);
        Assert.True(pushes.Count > 1);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), pushes.SelectMany(p => p.Notes).Select(n => n.Seq));
        for (var i = 1; i < pushes.Count; i++) Assert.Equal(pushes[i - 1].UntilSeq, pushes[i].AfterSeq);
        Assert.Equal(10UL, pushes[^1].UntilSeq);
        Assert.All(pushes, p => Assert.True(MessageCodec.Encode(p).Length <= 1232));
    }

    [Fact]
    public void Followers_beyond_the_limit_are_refused_in_words()
    {
        var registry = Registry(o => o.MaxFollowers = 1);
        registry.Follow(Follow(Ana, 1, 0), Ana, 40);
        registry.Follow(Follow(Bob, 2, 0), Bob, 40);

        var refusal = Assert.IsType<ErrorReply>(_sends.Sent.Last(s => s.To == Bob).Message);
        Assert.Equal(ErrorCode.TooManyFollowers, refusal.Code);
        Assert.Equal(7U, refusal.RequestId);
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void A_stopping_server_tells_each_follower_its_lease_ended()
    {
        var registry = Registry();
        registry.Follow(Follow(Ana, 1, 0), Ana, 40);
        registry.Push(Batch((1, "ana", "one")));

        registry.SayGoodbye();

        var bye = _sends.PushesTo(Ana)[^1];
        Assert.Equal((0U, 1UL, 1UL), (bye.LeaseMs, bye.AfterSeq, bye.UntilSeq));
        Assert.Empty(bye.Notes);
    }

    [Fact]
    public void The_registry_is_listening_only_while_someone_follows()
    {
        var registry = Registry();
        Assert.False(registry.IsListening);
        registry.Follow(Follow(Ana, 1, 0), Ana, 40);
        Assert.True(registry.IsListening);
    }
}
