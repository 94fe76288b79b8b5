using System.Collections.Concurrent;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// Pipelined appends: packs consecutive notes into as few datagrams as fit, keeps a window of them in flight, and
/// reports every note's final outcome in order. Loss is found as QUIC finds it (RFC 9002 §6): a datagram still
/// unanswered when one sent three transmissions later is answered, or one sent later was answered and 9/8 of an RTT
/// has passed, is sent again at once; only when nothing at all comes back does a probe timeout fire, and only then
/// does it back off. Every datagram offers the status Held (protocol §5.8): one the server keeps until an earlier, lost
/// one arrives is not sent again, but waits for its final ack, probed only on a long timer. A datagram the server
/// deferred instead (no room to keep it, or a server that predates Held) goes again once that one is answered. One answered
/// StoreUnavailable (a server over PostgreSQL without its database) is "not yet": it goes again, backed off, until
/// stored or a Duplicate, and is reported not stored only a timeout after the first such answer. The writer gives up only after <see cref="JournalClientOptions.GiveUpAfter"/> without a word from the
/// server, or at once when the server's port is reported closed before it ever answered.
/// </summary>
internal sealed class NoteWriter(JournalClient client, Action<NoteOutcome>? onOutcome)
{
    private NoteSource? _source;

    private readonly ConcurrentQueue<AppendAck> _acks = new();
    private readonly WriterWake _wake = new();
    // Flights by their first note number; at most a window of them, so scans over it are short.
    private readonly SortedDictionary<ulong, Flight> _inFlight = [];
    // Every flight and refused note in input order, reported from the front as soon as the front is done.
    private readonly Queue<Flight> _toReport = new();
    private readonly long _retransmissionsAtStart = client.Retransmissions;
    private readonly LatencyHistogram _ackLatency = new();
    private readonly ErrorCode _nameError = NoteRules.CheckName(client.Options.Name);
    private readonly int _headRoom = AppendRequest.OverheadFor(ulong.MaxValue, client.Options.Name);
    private readonly TimeSpan _started = client.Now;
    private Flight? _packing;
    private long _index;
    private long _sent, _stored, _refused, _unanswered;
    private long _inFlightBytes;
    private long _sends, _largestAnswered;
    private int _probes;
    private TimeSpan _lastProgress;
    private bool _gaveUp;
    private bool _heldRefused;
    // A flight was given up after a timeout of StoreUnavailable answers, and nothing was stored since.
    private bool _storeAway;

    /// <summary>
    /// How long a held datagram waits for its final ack before it is probed: 4 probe timeouts, between 200 ms and
    /// 5 s, so a final ack lost at the end of a write, or a held copy the server dropped (restart, expiry after 10 s),
    /// costs a fraction of a second, while a slow gap fill is not probed over and over. A final ack lost in the middle
    /// is found sooner: a later datagram answered for good means this one was stored (<see cref="Finish"/>).
    /// </summary>
    private TimeSpan HeldProbeInterval
    {
        get
        {
            var interval = 4 * client.Rtt.ProbeTimeout;
            return interval < MinHeldProbe ? MinHeldProbe : interval > MaxHeldProbe ? MaxHeldProbe : interval;
        }
    }

    private static readonly TimeSpan MinHeldProbe = TimeSpan.FromMilliseconds(200), MaxHeldProbe = TimeSpan.FromSeconds(5);

    public Task<WriteSummary> RunAsync(IReadOnlyList<string> notes, CancellationToken cancellationToken) =>
        SendAsync(new StringNoteSource(notes), cancellationToken);

    public Task<WriteSummary> RunAsync(IAsyncEnumerable<string> notes, CancellationToken cancellationToken) =>
        SendAsync(new StringNoteSource(notes), cancellationToken);

    public Task<WriteSummary> RunAsync(Stream utf8Lines, CancellationToken cancellationToken) =>
        SendAsync(new StreamNoteSource(utf8Lines), cancellationToken);

    private async Task<WriteSummary> SendAsync(NoteSource source, CancellationToken cancellationToken)
    {
        _source = source;
        Action wake = _wake.Wake;
        client.Refused += wake;
        client.HeldRefused += wake;
        using var cancelled = cancellationToken.Register(wake);
        source.Start(wake, cancellationToken);
        try
        {
            while (true)
            {
                var now = client.Now;
                while (_acks.TryDequeue(out var ack)) OnAck(ack, now);
                if (!_gaveUp && client.RefusedBeforeAnyAnswer) GiveUp();
                if (!_heldRefused && !client.AcceptsHeld) ResendWithoutHeld(now);
                var next = CheckFlights(now, out var paced);
                // What was just sent needs its timers set: look again before sleeping.
                if (!paced && SendNew(source, now, ref next)) continue;
                if (source.Exhausted && _packing is null && _inFlight.Count == 0 && _acks.IsEmpty) break;
                await _wake.WaitAsync(AtLeastAMillisecond(next)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            await source.Reading.ConfigureAwait(false);
        }
        finally
        {
            client.Refused -= wake;
            client.HeldRefused -= wake;
            foreach (var flight in _inFlight.Values)
            {
                client.ForgetAppend(flight.FirstNumber);
                flight.Release();
            }
            _packing?.Release();
            source.Release();
            _wake.Dispose();
        }
        return new WriteSummary(_sent, _stored, _refused, _unanswered, client.Retransmissions - _retransmissionsAtStart)
        {
            Elapsed = client.Now - _started,
            AckLatency = _ackLatency,
        };
    }

    /// <summary>
    /// Packs and sends new flights while the window, the bytes in flight and the pacer allow; <paramref name="next"/>
    /// shortens to the pacer's next turn. Returns whether anything was sent.
    /// </summary>
    private bool SendNew(NoteSource source, TimeSpan now, ref TimeSpan next)
    {
        var sent = false;
        while (_inFlight.Count < client.Options.Window && _inFlightBytes < client.Options.MaxInFlightBytes)
        {
            if (!source.TryPeek(out _, out _, out _)) return sent;
            if (!client.Pacer.TryTake(out var turn))
            {
                next = Min(next, turn);
                return sent;
            }
            var flight = Pack(source);
            if (flight is null) continue;
            flight.Seal(client.TakeNumbers(flight.Count), client.Instance, client.Base, client.Options.Name, client.AppendFlags());
            if (_inFlight.Count == 0) _lastProgress = now;
            _inFlight.Add(flight.FirstNumber, flight);
            _toReport.Enqueue(flight);
            client.OnAppendAck(flight.FirstNumber, OnAckFromReceiveLoop);
            _sent += flight.Count;
            _inFlightBytes += flight.NoteBytes;
            flight.FirstSentAt = now;
            Transmit(flight);
            sent = true;
        }
        return sent;
    }

    private void OnAckFromReceiveLoop(AppendAck ack)
    {
        _acks.Enqueue(ack);
        _wake.Wake();
    }

    /// <summary>
    /// Consecutive waiting notes that fit one datagram, or null if there were none to send. A note that breaks the
    /// rules ends the datagram before it and is answered here, never sent, so a flight's notes stay consecutive.
    /// </summary>
    private Flight? Pack(NoteSource source)
    {
        var maxDatagram = client.MaxAppendBytes;
        while (source.TryPeek(out var utf8, out var text, out var error))
        {
            if (_nameError != ErrorCode.None) error = _nameError;
            if (error != ErrorCode.None || _gaveUp)
            {
                if (_packing is not null) break;
                source.Advance();
                var refused = new Flight(_index++, text ?? System.Text.Encoding.UTF8.GetString(utf8), _gaveUp ? 0 : NoteStatus.Rejected, error);
                _toReport.Enqueue(refused);
                ReportReady();
                continue;
            }
            var size = AppendRequest.SizeOfNote(utf8.Length);
            _packing ??= new Flight(_index, _headRoom, Math.Max(maxDatagram, AppendRequest.SizeOfNote(ProtocolConstants.MaxNoteBytes)));
            if (!_packing.Fits(size, maxDatagram)) break;
            _packing.Add(utf8, text);
            source.Advance();
            _index++;
        }
        var packed = _packing;
        _packing = null;
        return packed;
    }

    private void Transmit(Flight flight)
    {
        // The notes are never encoded again; the fields in front are, when Base has moved, so the server need not wait
        // for a number the client settled since (one it gave up on, say). A stale Base would still be correct.
        var @base = client.Base;
        var flags = client.AppendFlags();
        if (@base != flight.EncodedBase || flags != flight.EncodedFlags) flight.WriteHead(client.Instance, @base, client.Options.Name, flags);
        // A held one is only probed: it still waits for its final ack, not for an answer to this copy.
        if (flight.State != FlightState.Held) flight.State = FlightState.Sent;
        flight.SendNumber = ++_sends;
        if (++flight.Transmissions > 1) client.CountRetransmission();
        client.Send(flight.Datagram);
        // Timed from when the send returned: a slow send (a busy machine) must not make the answer look early.
        flight.SentAt = client.Now;
    }

    private void OnAck(AppendAck ack, TimeSpan now)
    {
        _probes = 0;
        if (!_inFlight.TryGetValue(ack.FirstNumber, out var flight) || ack.Results.Count != flight.Count)
        {
            _lastProgress = now;
            return;
        }
        var notYet = IsNotYet(ack.Results);
        // "Not yet" is an answer, not progress: the writer's time without progress keeps running.
        if (!notYet) _lastProgress = now;
        if (!notYet && ack.Results[0].Status is not (NoteStatus.Held or NoteStatus.Deferred)) _storeAway = false;
        if (flight.State == FlightState.Sent)
        {
            // Karn: only an answer to a datagram sent once tells its round trip. An answer to a resent one may answer
            // an earlier copy: it counts as the latest copy's only if that one has had time to come back. A Held answer
            // comes at once, like any other, so it is a sample; the final ack of a held flight comes when the gap is
            // filled, unasked, and finds the flight Held: no sample, and no answer of its latest transmission.
            if (flight.Transmissions == 1) client.Rtt.Sample(now - flight.SentAt);
            if (flight.Transmissions == 1 || now - flight.SentAt >= client.Rtt.Min)
                _largestAnswered = Math.Max(_largestAnswered, flight.SendNumber);
        }
        if (notYet)
        {
            OnNotYet(flight, ack.Results, now);
            return;
        }
        if (ack.Results[0].Status == NoteStatus.Held)
        {
            // Kept by the server until the earlier datagrams arrive; its final ack then comes unasked. Not sent again
            // when others are answered nor on the probe timeout (that would send the window twice on every loss).
            flight.State = FlightState.Held;
            flight.Deadline = now + HeldProbeInterval;
            return;
        }
        if (ack.Results[0].Status == NoteStatus.Deferred)
        {
            // The server waits for an earlier datagram of ours: this one goes again once that is answered, not on
            // its own timer (which would resend the whole window on every loss). The long timer is only a safety net.
            if (flight.State == FlightState.Deferred) return;
            flight.State = FlightState.Deferred;
            var earlierOutstanding = _inFlight.Keys.First() < flight.FirstNumber;
            flight.Deadline = earlierOutstanding ? now + client.Options.MaxTimeout : now;
            return;
        }
        client.Settle(flight.FirstNumber, flight.Count);
        _ackLatency.Record(now - flight.FirstSentAt, flight.Count);
        flight.Results = ack.Results;
        Finish(flight, now);
    }

    /// <summary>
    /// Whether an answer says "not yet": some note was answered StoreUnavailable (the server could not reach its store).
    /// The rest of the datagram's answers (a Duplicate of a note stored before) hold for its next copy too.
    /// </summary>
    private static bool IsNotYet(IReadOnlyList<NoteResult> results)
    {
        foreach (var result in results)
            if (result.Status == NoteStatus.Rejected && result.Error == ErrorCode.StoreUnavailable) return true;
        return false;
    }

    /// <summary>
    /// The server stored nothing of this datagram yet (docs/postgresql.md): it stays unsettled and goes again after the
    /// probe timeout doubled per such answer (up to the max), or is given up once a timeout has passed since the first.
    /// A copy of it may be stored by another server meanwhile; the next copy is then answered Duplicate.
    /// </summary>
    private void OnNotYet(Flight flight, IReadOnlyList<NoteResult> results, TimeSpan now)
    {
        // A second answer to copies sent before this wait began (a duplicated reply) does not lengthen it.
        if (flight.State == FlightState.NotYet) return;
        if (flight.NotYetAnswers == 0) flight.NotYetSince = now;
        flight.NotYetResults = results;
        // Once a flight waited the whole timeout in vain, the rest get one answer each until something is stored
        // again: a long input is not held up a timeout per window while the store stays away.
        if (_storeAway)
        {
            GiveUpOn(flight, now);
            return;
        }
        flight.State = FlightState.NotYet;
        flight.Deadline = now + client.Rtt.Backoff(flight.NotYetAnswers++);
    }

    /// <summary>
    /// Sends again what is lost (by the packet or time threshold), what was deferred and may go now, what was held and
    /// has waited the long probe interval for its final ack, and, when nothing
    /// came back for a probe timeout, the oldest unanswered datagram; gives up after the time allowed without progress.
    /// Returns how long until the next of these can happen; <paramref name="paced"/> is true if the pacer held one back.
    /// </summary>
    private TimeSpan CheckFlights(TimeSpan now, out bool paced)
    {
        paced = false;
        var next = TimeSpan.FromSeconds(1);
        if (_inFlight.Count == 0) return next;
        var progress = _lastProgress > client.LastHeard ? _lastProgress : client.LastHeard;
        if (now - progress >= client.Options.GiveUpAfter)
        {
            GiveUp();
            return next;
        }
        next = Min(next, progress + client.Options.GiveUpAfter - now);
        var lossDelay = client.Rtt.LossDelay;
        Flight? oldest = null;
        var lastSent = TimeSpan.Zero;
        List<Flight>? givenUp = null;
        foreach (var flight in _inFlight.Values)
        {
            if (flight.State == FlightState.NotYet)
            {
                var giveUpAt = flight.NotYetSince + client.Options.GiveUpAfter;
                if (giveUpAt <= now) (givenUp ??= []).Add(flight);
                else if (flight.Deadline > now) next = Min(next, Min(flight.Deadline, giveUpAt) - now);
                else if (TryResend(flight, ref next, ref paced)) next = Min(next, giveUpAt - now);
                else break;
                continue;
            }
            if (flight.State == FlightState.Deferred)
            {
                if (flight.Deadline > now) next = Min(next, flight.Deadline - now);
                else if (!TryResend(flight, ref next, ref paced)) break;
                continue;
            }
            if (flight.State == FlightState.Held)
            {
                if (flight.Deadline > now) next = Min(next, flight.Deadline - now);
                else if (TryResend(flight, ref next, ref paced)) flight.Deadline = now + HeldProbeInterval;
                else break;
                continue;
            }
            if (LossRule.IsLost(flight.SendNumber, flight.SentAt, _largestAnswered, now, lossDelay, out var lostAt))
            {
                if (!TryResend(flight, ref next, ref paced)) break;
                continue;
            }
            if (lostAt != TimeSpan.MaxValue) next = Min(next, lostAt - now);
            if (oldest is null || flight.SendNumber < oldest.SendNumber) oldest = flight;
            if (flight.SentAt > lastSent) lastSent = flight.SentAt;
        }
        if (givenUp is not null)
            foreach (var flight in givenUp) GiveUpOn(flight, now);
        if (oldest is null || paced) return next;
        // The probe timeout runs from the latest transmission still unanswered (RFC 9002 §6.2.1).
        var probeAt = lastSent + client.Rtt.Backoff(_probes);
        if (probeAt > now) return Min(next, probeAt - now);
        if (!TryResend(oldest, ref next, ref paced)) return next;
        _probes++;
        return Min(next, client.Rtt.Backoff(_probes));
    }

    private bool TryResend(Flight flight, ref TimeSpan next, ref bool paced)
    {
        if (!client.Pacer.TryTake(out var wait))
        {
            next = Min(next, wait);
            paced = true;
            return false;
        }
        Transmit(flight);
        return true;
    }

    /// <summary>
    /// The server predates the flag <see cref="HeaderFlags.AcceptsHeld"/> and refused every datagram sent with it: each
    /// goes again at once without it, as a deferred one whose turn has come (pacing permitting), and is deferred as before.
    /// </summary>
    private void ResendWithoutHeld(TimeSpan now)
    {
        _heldRefused = true;
        foreach (var flight in _inFlight.Values)
        {
            if (flight.State != FlightState.Sent || flight.EncodedFlags == HeaderFlags.None) continue;
            flight.State = FlightState.Deferred;
            flight.Deadline = now;
        }
    }

    /// <summary>The server has not answered for the time allowed, or its port is closed: every note in flight is reported unanswered, and every note still to come.</summary>
    private void GiveUp()
    {
        _gaveUp = true;
        var now = client.Now;
        foreach (var flight in _inFlight.Values.ToArray())
        {
            client.Settle(flight.FirstNumber, flight.Count);
            // One the server could not store yet is reported with that answer; the others were not answered.
            if (flight.State == FlightState.NotYet) flight.Results = flight.NotYetResults;
            Finish(flight, now);
        }
    }

    /// <summary>The server could not store this flight for the time allowed: its notes are reported with its last answer (StoreUnavailable).</summary>
    private void GiveUpOn(Flight flight, TimeSpan now)
    {
        _storeAway = true;
        client.Settle(flight.FirstNumber, flight.Count);
        flight.Results = flight.NotYetResults;
        Finish(flight, now);
    }

    private void Finish(Flight flight, TimeSpan now)
    {
        _inFlight.Remove(flight.FirstNumber);
        _inFlightBytes -= flight.NoteBytes;
        client.ForgetAppend(flight.FirstNumber);
        flight.State = FlightState.Done;
        // Everything the server deferred behind this one can go now (answered or given up, it is settled).
        // A held one before it is stored too (the server stores each client's notes in order), so its final ack was
        // lost: probe it now, and the answer (Duplicate) completes it.
        foreach (var waiting in _inFlight.Values)
        {
            if (waiting.State == FlightState.Deferred) waiting.Deadline = now;
            else if (waiting.State == FlightState.Held && waiting.FirstNumber < flight.FirstNumber && flight.Results is not null) waiting.Deadline = now;
        }
        ReportReady();
    }

    /// <summary>Reports the outcomes of the flights at the front of the input order that are done.</summary>
    private void ReportReady()
    {
        while (_toReport.TryPeek(out var flight) && flight.State == FlightState.Done)
        {
            _toReport.Dequeue();
            for (var i = 0; i < flight.Count; i++)
            {
                var result = flight.Results?[i] ?? default;
                if (result.Status is NoteStatus.Stored or NoteStatus.Duplicate) _stored++;
                else if (result.Status == 0) _unanswered++;
                else _refused++;
                if (onOutcome is null) continue;
                // Stored notes from a stream are reported without their text: making a string per note would cost more than sending it.
                var stored = result.Status is NoteStatus.Stored or NoteStatus.Duplicate;
                var text = stored && !flight.HasText(i) ? "" : flight.TextOf(i);
                var index = flight.FirstIndex + i;
                onOutcome(new NoteOutcome(index, text, result.Status, result.Seq, result.Error)
                {
                    Line = _source?.LineOf(index) ?? 0,
                    Repaired = _source?.WasRepaired(index) ?? false,
                });
            }
            flight.Release();
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // At least a millisecond: a timer rounds shorter ones down to none, which would spin.
    private static TimeSpan AtLeastAMillisecond(TimeSpan t) => t < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : t;
}
