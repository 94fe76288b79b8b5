using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// One follow (protocol §6.5): registers with the server first, then reads by history everything up to the point the
/// server's pushes start, then hands out pushed notes; each matching note once, in seq order, with no window between
/// catch-up and live where a note can slip. A push says which seq range it covers: a push that starts after the last
/// seq handed out shows a gap (a push lost on the way, dropped by the server, or notes the server never saw), which is
/// fetched by history before any later note is handed out. The lease is renewed every third of its length; a renewal
/// that goes unanswered is said once (<see cref="FollowEventKind.NotAnswering"/>), and the answer of a restarted server
/// (another epoch) is said once (<see cref="FollowEventKind.Restarted"/>): the follow is registered again there and
/// resumes strictly after the last seq handed out.
/// </summary>
internal sealed class FollowReader
{
    /// <summary>Pushes held while a gap before them is fetched; beyond it the oldest are given up to history.</summary>
    private const int MaxHeld = 256;

    private readonly JournalClient _client;
    private readonly HistoryFilter _filter;
    private readonly Channel<Input> _inputs = Channel.CreateBounded<Input>(new BoundedChannelOptions(4096)
    { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _renewNow = new(0, 1);
    private long _handedOut;

    public FollowReader(JournalClient client, HistoryFilter filter)
    {
        _client = client;
        _filter = filter;
        Subscription = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;
    }

    /// <summary>This follow's name at the server, with the client's address.</summary>
    public ulong Subscription { get; }

    /// <summary>The last seq handed out (or skipped as before the start): the follow resumes strictly after it.</summary>
    private ulong HandedOut
    {
        get => (ulong)Interlocked.Read(ref _handedOut);
        set => Interlocked.Exchange(ref _handedOut, (long)value);
    }

    /// <summary>A push for this follow, from the client's receive thread. A full queue drops it: the next push shows the gap.</summary>
    internal void OnPush(Notify push)
    {
        _inputs.Writer.TryWrite(new Input(push, Renewal: false, Trouble: false));
        // A lease of 0 says the server is stopping (or forgot us): register again at once rather than at the next renewal.
        if (push.LeaseMs == 0) WakeRenewal();
    }

    /// <summary>The server's port was reported closed: a restart may be under way, so renew soon rather than at the next period.</summary>
    internal void OnRefused() => WakeRenewal();

    private void WakeRenewal()
    {
        try
        {
            _renewNow.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public async IAsyncEnumerable<FollowEvent> ReadAsync(FollowStart start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HandedOut = await StartSeqAsync(start, cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Listening before registering: a push that comes before the answer is not lost.
        _client.Follow(this);
        var renewing = Task.CompletedTask;
        try
        {
            var first = await RenewAsync(cancellationToken).ConfigureAwait(false);
            var epoch = first.Epoch;
            renewing = RenewLoopAsync(TimeSpan.FromMilliseconds(Math.Max(300, first.LeaseMs / 3.0)), stop.Token);
            var held = new List<Notify>();
            // Everything up to here is history's to hand out: the server pushes only after it.
            var target = first.UntilSeq;
            var troubled = false;
            while (true)
            {
                // Hand out what is in order, fetch what is missing by history, and hold later pushes until then.
                while (true)
                {
                    held.Sort((a, b) => a.AfterSeq.CompareTo(b.AfterSeq));
                    while (held.Count > 0 && held[0].AfterSeq <= HandedOut)
                    {
                        foreach (var note in Take(held[0])) yield return FollowEvent.Of(note);
                        held.RemoveAt(0);
                    }
                    var missingThrough = Math.Max(target, held.Count > 0 ? held[0].AfterSeq : 0);
                    if (missingThrough <= HandedOut) break;
                    var fetched = new List<Note>();
                    var complete = true;
                    // Fetched to a list first: an iterator cannot yield inside a try that has a catch.
                    try
                    {
                        await foreach (var note in _client.HistoryRangeAsync(_filter, HandedOut, missingThrough, stop.Token).ConfigureAwait(false))
                            fetched.Add(note);
                    }
                    catch (JournalUnavailableException)
                    {
                        complete = false;
                    }
                    foreach (var note in fetched)
                    {
                        if (note.Seq <= HandedOut) continue;
                        HandedOut = note.Seq;
                        yield return FollowEvent.Of(note);
                    }
                    if (!complete)
                    {
                        // The server is not answering: the renewals go on, and their answer says when to try again.
                        if (!troubled) yield return new FollowEvent(FollowEventKind.NotAnswering, HandedOut);
                        troubled = true;
                        break;
                    }
                    HandedOut = Math.Max(HandedOut, missingThrough);
                }
                Input? input = null;
                Exception? refused = null;
                try
                {
                    input = await _inputs.Reader.ReadAsync(stop.Token).ConfigureAwait(false);
                }
                catch (ChannelClosedException e)
                {
                    refused = e.InnerException ?? e;
                }
                // The renewals ended with a refusal: its reason is the follow's.
                if (refused is not null) ExceptionDispatchInfo.Throw(refused);
                if (input!.Trouble)
                {
                    if (!troubled) yield return new FollowEvent(FollowEventKind.NotAnswering, HandedOut);
                    troubled = true;
                    continue;
                }
                var notify = input!.Notify!;
                if (input.Renewal)
                {
                    if (notify.Epoch != epoch)
                    {
                        epoch = notify.Epoch;
                        held.Clear();
                        yield return new FollowEvent(FollowEventKind.Restarted, HandedOut);
                    }
                    else if (troubled)
                    {
                        yield return new FollowEvent(FollowEventKind.Resumed, HandedOut);
                    }
                    troubled = false;
                    target = Math.Max(target, notify.UntilSeq);
                    continue;
                }
                // A goodbye (lease 0) carries nothing: the server is stopping, and the renewal it woke finds the next one.
                if (notify.LeaseMs == 0 || notify.UntilSeq <= HandedOut) continue;
                held.Add(notify);
                if (held.Count > MaxHeld)
                {
                    // Too much waits on a gap: the oldest pushes are left to history.
                    held.Sort((a, b) => a.AfterSeq.CompareTo(b.AfterSeq));
                    target = Math.Max(target, held[0].UntilSeq);
                    held.RemoveAt(0);
                }
            }
        }
        finally
        {
            _client.Unfollow(this);
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await renewing.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or JournalRequestException)
            {
            }
        }
    }

    /// <summary>The notes of a push that come after those handed out, handing them out.</summary>
    private List<Note> Take(Notify push)
    {
        var notes = new List<Note>(push.Notes.Count);
        foreach (var note in push.Notes)
        {
            if (note.Seq <= HandedOut) continue;
            notes.Add(note);
            HandedOut = note.Seq;
        }
        HandedOut = Math.Max(HandedOut, push.UntilSeq);
        return notes;
    }

    /// <summary>The seq the follow starts strictly after.</summary>
    private async Task<ulong> StartSeqAsync(FollowStart start, CancellationToken cancellationToken)
    {
        if (start.AfterSeq is { } after) return after;
        var count = await _client.CountAsync(_filter, start.LastN ?? 0, cancellationToken).ConfigureAwait(false);
        // --last N: where the latest N matches begin (0 when N cover them all); otherwise, or with nothing matching, now.
        return start.LastN is > 0 && count.Matched > 0 ? count.StartAfterSeq : count.EndSeq;
    }

    /// <summary>Registers the follow, or renews it; the answer says from which seq the pushes are complete.</summary>
    /// <exception cref="JournalRequestException">The server refused it; a server that predates following says so in words.</exception>
    private async Task<Notify> RenewAsync(CancellationToken cancellationToken)
    {
        var after = HandedOut;
        try
        {
            return (Notify)await _client.RequestAsync(
                (id, token) => new FollowRequest(id, token, Subscription, after, (ushort)_client.MaxReply, _filter), cancellationToken).ConfigureAwait(false);
        }
        catch (JournalRequestException e) when (e.Code == ErrorCode.UnknownMessage)
        {
            throw new JournalRequestException(e.Code, $"the server at {_client.Server} does not take follows (it predates them); `netjournal history` works with it");
        }
    }

    /// <summary>Renews the lease every <paramref name="period"/> (sooner when woken), reporting answers and silence to the reader.</summary>
    private async Task RenewLoopAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _renewNow.WaitAsync(period, cancellationToken).ConfigureAwait(false);
                try
                {
                    var answer = await RenewAsync(cancellationToken).ConfigureAwait(false);
                    _inputs.Writer.TryWrite(new Input(answer, Renewal: true, Trouble: false));
                    period = TimeSpan.FromMilliseconds(Math.Max(300, answer.LeaseMs / 3.0));
                }
                catch (JournalUnavailableException)
                {
                    // Said to the reader, and tried again straight away: RequestAsync itself backs off while nothing answers.
                    _inputs.Writer.TryWrite(new Input(null, Renewal: false, Trouble: true));
                    WakeRenewal();
                }
            }
        }
        catch (JournalRequestException e)
        {
            _inputs.Writer.TryComplete(e);
        }
    }

    /// <summary>A push, a renewal's answer, or word that renewals go unanswered.</summary>
    private sealed record Input(Notify? Notify, bool Renewal, bool Trouble);
}
