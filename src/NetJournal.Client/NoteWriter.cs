using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// Pipelined appends: packs consecutive notes into as few datagrams as fit, keeps a window of them in
/// flight, retransmits each with backoff until answered, resends at once a datagram the server deferred
/// (it waits for an earlier, lost one), and reports every note's final outcome in order.
/// </summary>
internal sealed class NoteWriter(JournalClient client, Action<NoteOutcome>? onOutcome)
{
    private sealed class Flight(ulong first, (long Index, string Text, byte[] Utf8)[] notes, TimeSpan now)
    {
        public ulong First { get; } = first;
        public (long Index, string Text, byte[] Utf8)[] Notes { get; } = notes;
        public TimeSpan FirstSent { get; } = now;
        public TimeSpan LastHeard { get; set; } = now;
        public TimeSpan Deadline { get; set; }
        public int Attempts { get; set; }
        public bool Deferred { get; set; }
        public int Bytes { get; } = notes.Sum(n => n.Utf8.Length);
    }

    private readonly ConcurrentQueue<AppendAck> _acks = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SortedDictionary<ulong, Flight> _inFlight = [];
    // Outcomes that came before an earlier note's (acks arrive in any order): held until they are next in line.
    private readonly Dictionary<long, NoteOutcome> _early = [];
    private long _nextReport;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _sent, _stored, _refused, _unanswered;
    private long _inFlightBytes;
    private readonly long _retransmissionsAtStart = client.Retransmissions;
    private bool _gaveUp;
    private readonly LatencyHistogram _ackLatency = new();
    private readonly ErrorCode _nameError = NoteRules.CheckName(client.Options.Name);

    /// <summary>
    /// Notes already in memory (a typed line): queued at once, with no reading task to start first, so the first
    /// datagram leaves on the caller's thread instead of after a hand-over to another one.
    /// </summary>
    public Task<WriteSummary> RunAsync(IReadOnlyList<string> notes, CancellationToken cancellationToken)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        foreach (var note in notes) lines.Writer.TryWrite(note);
        lines.Writer.TryComplete();
        return SendAsync(lines.Reader, Task.CompletedTask, cancellationToken);
    }

    public Task<WriteSummary> RunAsync(IAsyncEnumerable<string> notes, CancellationToken cancellationToken)
    {
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(8192) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var note in notes.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await lines.Writer.WriteAsync(note, cancellationToken).ConfigureAwait(false);
                    // Only a line into an empty queue can find the sender asleep waiting for input; waking it for
                    // every line would cost a pass over the whole window per line.
                    if (lines.Reader.Count == 1) _wake.Release();
                }
                lines.Writer.TryComplete();
            }
            catch (Exception e)
            {
                lines.Writer.TryComplete(e);
            }
            _wake.Release();
        }, cancellationToken);
        return SendAsync(lines.Reader, reading, cancellationToken);
    }

    private async Task<WriteSummary> SendAsync(ChannelReader<string> lines, Task reading, CancellationToken cancellationToken)
    {
        long index = 0;
        (long Index, string Text, byte[] Utf8)? carry = null;
        try
        {
            while (true)
            {
                while (_acks.TryDequeue(out var ack)) OnAck(ack);
                var paced = TimeSpan.MaxValue;
                while (_inFlight.Count < client.Options.Window && _inFlightBytes < client.Options.MaxInFlightBytes
                    && (carry is not null || lines.TryPeek(out _)))
                {
                    if (!client.Pacer.TryTake(out var turn))
                    {
                        paced = turn;
                        break;
                    }
                    var batch = TakeBatch(lines, ref index, ref carry);
                    if (batch.Count == 0) break;
                    var flight = new Flight(client.TakeNumbers(batch.Count), batch.ToArray(), _clock.Elapsed);
                    _inFlight.Add(flight.First, flight);
                    client.OnAppendAck(flight.First, a => { _acks.Enqueue(a); _wake.Release(); });
                    _sent += batch.Count;
                    _inFlightBytes += flight.Bytes;
                    Transmit(flight);
                }
                if (carry is null && lines.Completion.IsCompleted && _inFlight.Count == 0 && _acks.IsEmpty) break;
                var wait = Min(CheckTimeouts(), paced);
                await _wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            await reading.ConfigureAwait(false);
            await lines.Completion.ConfigureAwait(false);
        }
        finally
        {
            foreach (var flight in _inFlight.Values) client.ForgetAppend(flight.First);
        }
        return new WriteSummary(_sent, _stored, _refused, _unanswered, client.Retransmissions - _retransmissionsAtStart)
        {
            Elapsed = _clock.Elapsed,
            AckLatency = _ackLatency,
        };
    }

    /// <summary>Consecutive waiting notes that fit one datagram; notes that break the rules are answered here and never sent.</summary>
    private List<(long, string, byte[])> TakeBatch(ChannelReader<string> lines, ref long index, ref (long, string, byte[])? carry)
    {
        var batch = new List<(long, string, byte[])>();
        var size = AppendRequest.OverheadFor(ulong.MaxValue, client.Options.Name);
        while (batch.Count < ProtocolConstants.MaxNotesPerAppend)
        {
            (long Index, string Text, byte[] Utf8) next;
            if (carry is { } c)
            {
                next = c;
                carry = null;
            }
            else if (lines.TryRead(out var text))
            {
                var error = _nameError != ErrorCode.None ? _nameError : NoteRules.Check(text);
                var current = index++;
                if (error != ErrorCode.None || _gaveUp)
                {
                    Report(new NoteOutcome(current, text, _gaveUp ? 0 : NoteStatus.Rejected, 0, error));
                    continue;
                }
                next = (current, text, Encoding.UTF8.GetBytes(text));
            }
            else
            {
                break;
            }
            var noteSize = AppendRequest.SizeOfNote(next.Utf8.Length);
            if (batch.Count > 0 && size + noteSize > client.MaxAppendBytes)
            {
                carry = next;
                break;
            }
            batch.Add(next);
            size += noteSize;
        }
        return batch;
    }

    private void Transmit(Flight flight)
    {
        var request = new AppendRequest(client.Instance, client.Base, flight.First, client.Options.Name, flight.Notes.Select(n => (ReadOnlyMemory<byte>)n.Utf8).ToArray());
        client.Send(MessageCodec.Encode(request));
        flight.Deadline = _clock.Elapsed + (flight.Attempts == 0 ? client.Timer.Current : client.Timer.Backoff(flight.Attempts));
    }

    private void OnAck(AppendAck ack)
    {
        if (!_inFlight.TryGetValue(ack.FirstNumber, out var flight) || ack.Results.Count != flight.Notes.Length) return;
        var now = _clock.Elapsed;
        if (flight.Attempts == 0 && !flight.Deferred) client.Timer.Sample(now - flight.FirstSent);
        flight.LastHeard = now;
        if (ack.Results[0].Status == NoteStatus.Deferred)
        {
            // The server waits for an earlier datagram of ours: this one goes again once that is answered, not on
            // its own timer (which would resend the whole window on every loss). The long timer is only a safety net.
            flight.Deferred = true;
            var earlierOutstanding = _inFlight.Keys.First() < flight.First;
            flight.Deadline = earlierOutstanding ? now + client.Options.MaxTimeout : now;
            return;
        }
        client.Settle(flight.First, flight.Notes.Length);
        _ackLatency.Record(now - flight.FirstSent, flight.Notes.Length);
        for (var i = 0; i < flight.Notes.Length; i++)
        {
            var r = ack.Results[i];
            Report(new NoteOutcome(flight.Notes[i].Index, flight.Notes[i].Text, r.Status, r.Seq, r.Error));
        }
        Finish(flight);
    }

    private TimeSpan CheckTimeouts()
    {
        var now = _clock.Elapsed;
        var next = TimeSpan.FromSeconds(1);
        foreach (var flight in _inFlight.Values.ToList())
        {
            if (flight.Deadline > now)
            {
                next = TimeSpan.FromTicks(Math.Min(next.Ticks, (flight.Deadline - now).Ticks));
                continue;
            }
            if (now - flight.LastHeard > client.Options.GiveUpAfter)
            {
                _gaveUp = true;
                client.Settle(flight.First, flight.Notes.Length);
                foreach (var note in flight.Notes)
                {
                    Report(new NoteOutcome(note.Index, note.Text, 0, 0, ErrorCode.None));
                }
                Finish(flight);
                continue;
            }
            if (!client.Pacer.TryTake(out var paced))
            {
                // Its deadline has passed, so the next check sends it, once the pacer allows.
                next = Min(next, paced);
                continue;
            }
            flight.Attempts++;
            client.CountRetransmission();
            Transmit(flight);
            next = Min(next, flight.Deadline - now);
        }
        return next;
    }

    // At least a millisecond: a semaphore wait rounds shorter ones down to none, which would spin.
    private static TimeSpan Min(TimeSpan a, TimeSpan b)
    {
        var min = a < b ? a : b;
        return min < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : min;
    }

    private void Finish(Flight flight)
    {
        _inFlight.Remove(flight.First);
        _inFlightBytes -= flight.Bytes;
        client.ForgetAppend(flight.First);
        // Everything the server deferred behind this one can go now (answered or given up, it is settled).
        // Being deferred is an answer, not a loss: the resend starts from the first backoff again.
        var now = _clock.Elapsed;
        foreach (var waiting in _inFlight.Values)
        {
            if (!waiting.Deferred) continue;
            waiting.Deadline = now;
            waiting.Attempts = 0;
        }
    }

    private void Report(NoteOutcome outcome)
    {
        if (outcome.IsStored) _stored++;
        else if (outcome.Unanswered) _unanswered++;
        else _refused++;
        if (onOutcome is null) return;
        if (outcome.Index != _nextReport)
        {
            _early[outcome.Index] = outcome;
            return;
        }
        onOutcome(outcome);
        _nextReport++;
        while (_early.Remove(_nextReport, out var next))
        {
            onOutcome(next);
            _nextReport++;
        }
    }
}
