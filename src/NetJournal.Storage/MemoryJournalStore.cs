using System.Buffers;
using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// A journal held in memory only: the same delivery order (<see cref="DeliveryOrder"/>), seqs, times and queries as
/// <see cref="JournalStore"/>, and nothing survives Dispose. For tests and for embedding where durability is not
/// wanted. One thread commits; any thread may query (a lock keeps them apart). Pages are made from notes, never in wire form.
/// </summary>
public sealed class MemoryJournalStore : IJournalStore
{
    public const string Location = "memory";

    private readonly List<Note> _notes = [];
    private readonly ClientDirectory _clients = new();
    private readonly DeliveryOrder _order;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Note> _batch = [];
    private ulong _lastSeq;
    private long _lastTimeMs;

    public MemoryJournalStore(TimeProvider? time = null, int maxDedupInstances = 100_000)
    {
        _time = time ?? TimeProvider.System;
        _order = new DeliveryOrder(maxDedupInstances);
    }

    /// <summary>An empty journal, created now, at <see cref="Location"/>.</summary>
    public RecoveryReport Recovery { get; } = new(Location, true, 0, 0, 0, [], TimeSpan.Zero);

    public ulong LastSeq => Volatile.Read(ref _lastSeq);

    public int NoteCount
    {
        get { lock (_gate) return _notes.Count; }
    }

    public int ClientCount => _clients.Count;

    /// <summary>The text as UTF-8 (<see cref="MemoryNoteEncoder"/>).</summary>
    public IPendingNoteEncoder NoteEncoder => MemoryNoteEncoder.Instance;

    public long LastCommitTimeMs { get; private set; }

    public bool SupportsWirePages => false;

    /// <summary>When set, the next Commit fails as a write would (for tests of a failing journal); cleared by that Commit.</summary>
    public JournalWriteException? FailNextCommit { get; set; }

    public JournalWriteException? Commit(IReadOnlyList<PendingNote> batch, Span<NoteResult> results)
    {
        _batch.Clear();
        _order.Begin();
        var seq = _lastSeq;
        // As in the file: time never runs backwards, so seq order is time order.
        var now = Math.Max(_lastTimeMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        for (var i = 0; i < batch.Count; i++)
        {
            var n = batch[i];
            if (!_order.Admit(n, seq + 1, out results[i])) continue;
            seq++;
            var text = n.Text ?? (n.Tail.IsEmpty
                ? throw new ArgumentException("a note without a tail needs its text", nameof(batch))
                : Encoding.UTF8.GetString(n.Tail.Span));
            _batch.Add(new Note(seq, now, n.Client, n.Address, text, n.Origin, n.Priority));
        }
        if (FailNextCommit is { } failure && _batch.Count > 0)
        {
            FailNextCommit = null;
            _order.Fail(batch, results, _lastSeq);
            return failure;
        }
        lock (_gate)
        {
            foreach (var note in _batch)
            {
                _notes.Add(note);
                _clients.Record(note.Client, note.Address, note.TimeMs);
            }
            if (_batch.Count > 0)
            {
                _lastTimeMs = now;
                LastCommitTimeMs = now;
                Volatile.Write(ref _lastSeq, seq);
            }
        }
        _order.Commit();
        return null;
    }

    public CountResult Count(HistoryFilter filter, ulong lastN)
    {
        lock (_gate)
        {
            var count = _notes.Count;
            var endSeq = count == 0 ? 0 : _notes[count - 1].Seq;
            if (MatchesNothing(filter)) return new CountResult(0, endSeq, endSeq, (ulong)count);
            var matches = _notes.Where(n => Matches(filter, n)).Select(n => n.Seq).ToList();
            var matched = (ulong)matches.Count;
            var startAfter = lastN != 0 && matched > lastN ? matches[(int)(matched - lastN - 1)] : 0;
            return new CountResult(matched, startAfter, endSeq, (ulong)count);
        }
    }

    public PageResult ReadPage(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, int maxScan = 200_000)
    {
        lock (_gate)
        {
            var page = new List<Note>();
            if (MatchesNothing(filter)) return new PageResult(page, afterSeq, true);
            var used = 0;
            var cursor = afterSeq;
            var scanned = 0;
            // Seqs are dense and increasing, so the first note after afterSeq is found by search, not by a scan.
            var position = FirstAfter(afterSeq);
            for (; position < _notes.Count; position++)
            {
                var note = _notes[position];
                if (untilSeq != 0 && note.Seq > untilSeq) break;
                if (scanned++ == maxScan) return new PageResult(page, cursor, false);
                if (Matches(filter, note))
                {
                    var size = MessageCodec.NoteSize(note);
                    if (page.Count > 0 && used + size > maxBytes) return new PageResult(page, cursor, false);
                    page.Add(note);
                    used += size;
                }
                cursor = note.Seq;
            }
            return new PageResult(page, untilSeq != 0 ? Math.Max(cursor, Math.Min(untilSeq, _lastSeq)) : cursor, true);
        }
    }

    /// <exception cref="NotSupportedException">Always: this store makes pages from notes (<see cref="SupportsWirePages"/> is false).</exception>
    public WirePageResult ReadPageWire(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, IBufferWriter<byte> output, int maxScan = 200_000) =>
        throw new NotSupportedException("the memory journal makes pages with ReadPage");

    public IReadOnlyList<ClientSummary> Clients(int start = 0) => _clients.Snapshot(start);

    public void Dispose()
    {
        lock (_gate) _notes.Clear();
    }

    private int FirstAfter(ulong afterSeq)
    {
        int low = 0, high = _notes.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_notes[mid].Seq <= afterSeq) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    // As the file's index decides it: a client or address that no note has matches nothing, and the cursor is the end.
    private bool MatchesNothing(HistoryFilter filter) =>
        (filter.Client is { } client && !_notes.Any(n => n.Client == client))
        || (filter.Address is { } address && !_notes.Any(n => HistoryMatcher.AddressMatches(n.Address, address)));

    private static bool Matches(HistoryFilter filter, Note note) =>
        (filter.Client is null || note.Client == filter.Client)
        && (filter.Address is null || HistoryMatcher.AddressMatches(note.Address, filter.Address))
        && (filter.SinceMs is not { } since || note.TimeMs >= since)
        && (filter.UntilMs is not { } until || note.TimeMs < until)
        && (string.IsNullOrEmpty(filter.Grep) || note.Text.Contains(filter.Grep, StringComparison.OrdinalIgnoreCase));
}
