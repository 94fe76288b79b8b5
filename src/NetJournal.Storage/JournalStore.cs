using System.Buffers;
using System.Diagnostics;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// The journal as a JSON Lines file: its file, the in-memory index that answers history and client queries, and the
/// delivery order (<see cref="DeliveryOrder"/>). The server's embedded default <see cref="IJournalStore"/>. One thread commits; any thread may query.
/// </summary>
public sealed class JournalStore : IJournalStore
{
    public const string FileName = "journal.jsonl";

    private readonly JournalFile _file;
    private readonly NoteIndex _index = new();
    private readonly StringTable _clientNames = new();
    private readonly StringTable _addresses = new();
    private readonly ClientDirectory _clients = new();
    private readonly DeliveryOrder _order;
    private readonly TimeProvider _time;
    private readonly ArrayBufferWriter<byte> _batch = new(64 * 1024);
    private readonly List<StoredLine> _batchLines = [];
    private ulong _lastSeq;
    private long _lastTimeMs;

    private JournalStore(JournalFile file, TimeProvider time, int maxDedupInstances)
    {
        _file = file;
        _time = time;
        _order = new DeliveryOrder(maxDedupInstances);
        Recovery = null!;
    }

    public RecoveryReport Recovery { get; private set; }
    public string FilePath => _file.Path;

    /// <summary>Tails of journal lines (<see cref="JournalLineTailEncoder"/>).</summary>
    public IPendingNoteEncoder NoteEncoder => JournalLineTailEncoder.Instance;

    /// <summary>Always: a page is made from the journal's lines (<see cref="WireNoteWriter"/>).</summary>
    public bool SupportsWirePages => true;
    public ulong LastSeq => Volatile.Read(ref _lastSeq);
    public int NoteCount => _index.Count;
    public int ClientCount => _clients.Count;
    public int DedupInstances => _order.InstanceCount;

    /// <summary>The time (Unix ms) the last Commit that stored notes gave them; commit thread only.</summary>
    public long LastCommitTimeMs { get; private set; }

    /// <summary>
    /// Opens (or creates) DIR/journal.jsonl, cuts a torn tail (adding the newline a whole last line lacks), and
    /// rebuilds the index and dedup state.
    /// </summary>
    /// <exception cref="IOException">The journal cannot be opened or read back; the message is one line that says why (<see cref="JournalFile.Open"/>).</exception>
    public static JournalStore Open(string directory, TimeProvider? time = null, int maxDedupInstances = 100_000)
    {
        var path = Path.Combine(directory, FileName);
        var created = !File.Exists(path);
        var file = JournalFile.Open(path);
        var store = new JournalStore(file, time ?? TimeProvider.System, maxDedupInstances);
        try
        {
            store.Recover(created);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file.Dispose();
            throw JournalFile.CannotOpen(Path.GetFullPath(path), $"cannot read it back: {JournalFile.Reason(e)}", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return store;
    }

    private void Recover(bool created)
    {
        var watch = Stopwatch.StartNew();
        var scan = JournalScanner.Scan(_file, (r, offset, length) =>
        {
            AddToIndex(r.Seq, r.TimeMs, r.Client, r.Address, offset, length);
            _order.Settled(r.Instance, r.Number);
        });
        var original = _file.Length;
        if (scan.ValidLength < original) _file.Truncate(scan.ValidLength);
        // A whole last line without its newline was indexed with one: the file gets it before anything is appended.
        if (scan.MissingNewline) _file.Append("\n"u8);
        Recovery = new RecoveryReport(_file.Path, created, _index.Count, original - scan.ValidLength, scan.ValidLength, scan.Corrupt, watch.Elapsed)
        { NewlineAdded = scan.MissingNewline };
    }

    private string? _lastClient, _lastAddress;
    private int _lastClientId, _lastAddressId;

    private void AddToIndex(ulong seq, long timeMs, string client, string address, long offset, int length)
    {
        // A datagram's notes share their name and address strings: looked up once, not once per note.
        if (!ReferenceEquals(client, _lastClient)) (_lastClient, _lastClientId) = (client, _clientNames.Intern(client));
        if (!ReferenceEquals(address, _lastAddress)) (_lastAddress, _lastAddressId) = (address, _addresses.Intern(address));
        _index.Add(new IndexEntry(seq, offset, length, timeMs, _lastClientId, _lastAddressId));
        _clients.Record(client, address, timeMs);
        Volatile.Write(ref _lastSeq, seq);
        _lastTimeMs = Math.Max(_lastTimeMs, timeMs);
    }

    /// <summary>A line of the batch being committed: what the index needs once the batch is on disk.</summary>
    private readonly record struct StoredLine(ulong Seq, string Client, string Address, int Start, int Length);

    /// <summary>
    /// Stores a batch with one write and one fsync (group commit), and fills one result per note as
    /// <see cref="DeliveryOrder"/> decides: Stored with its seq; Duplicate for a number already settled; Deferred for a
    /// number that comes before its predecessor; Rejected with the note's refusal; or Rejected(StorageFailed) for every
    /// new note when the write failed. Only the commit thread may call this.
    /// </summary>
    public JournalWriteException? Commit(IReadOnlyList<PendingNote> batch, Span<NoteResult> results)
    {
        _batch.Clear();
        _batchLines.Clear();
        _order.Begin();
        var seq = _lastSeq;
        // Server time never runs backwards in the journal, so seq order is time order.
        var now = Math.Max(_lastTimeMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        for (var i = 0; i < batch.Count; i++)
        {
            var n = batch[i];
            if (!_order.Admit(n, seq + 1, out results[i])) continue;
            seq++;
            var start = _batch.WrittenCount;
            if (!n.Tail.IsEmpty) JournalLine.WriteWithTail(seq, now, n.Tail.Span, _batch);
            else JournalLine.Write(new JournalRecord(seq, now, n.Client, n.Address, n.Text ?? throw new ArgumentException("a note without a tail needs its text", nameof(batch)),
                n.Origin, n.Priority, n.Instance, n.Number), _batch);
            _batchLines.Add(new StoredLine(seq, n.Client, n.Address, start, _batch.WrittenCount - start));
        }
        if (_batchLines.Count > 0)
        {
            long offset;
            try
            {
                offset = _file.Append(_batch.WrittenSpan);
            }
            catch (JournalWriteException e)
            {
                _order.Fail(batch, results, _lastSeq);
                return e;
            }
            _lastTimeMs = now;
            LastCommitTimeMs = now;
            foreach (var line in _batchLines) AddToIndex(line.Seq, now, line.Client, line.Address, offset + line.Start, line.Length);
        }
        _order.Commit();
        return null;
    }

    public CountResult Count(HistoryFilter filter, ulong lastN)
    {
        var count = _index.Count;
        var endSeq = count == 0 ? 0 : _index[count - 1].Seq;
        var matcher = new HistoryMatcher(filter, _clientNames, _addresses);
        if (matcher.MatchesNothing) return new CountResult(0, endSeq, endSeq, (ulong)count);
        // Every client start and every history asks this first: without a filter it is the index's length, not a scan.
        if (matcher.MatchesEverything)
            return new CountResult((ulong)count, lastN != 0 && (ulong)count > lastN ? _index[count - (int)lastN - 1].Seq : 0, endSeq, (ulong)count);
        // Keep the seqs of the last lastN+1 matches in a ring: the oldest of them is the cursor for "the last N".
        // lastN + 1 would overflow for ulong.MaxValue: cap lastN at count first.
        var ringSize = (int)(lastN == 0 ? 1 : Math.Min(lastN, (ulong)count) + 1);
        var ring = new ulong[ringSize];
        ulong matched = 0;
        using var reader = matcher.Grep is null ? null : new RecordReader(_file);
        for (var i = 0; i < count; i++)
        {
            var e = _index[i];
            if (!matcher.MatchesIndex(e)) continue;
            if (reader is not null && (reader.Read(e) is not { } r || !matcher.MatchesText(r.Text))) continue;
            ring[(int)(matched % (ulong)ringSize)] = e.Seq;
            matched++;
        }
        ulong startAfter = 0;
        if (lastN != 0 && matched > lastN) startAfter = ring[(int)((matched - lastN - 1) % (ulong)ringSize)];
        return new CountResult(matched, startAfter, endSeq, (ulong)count);
    }

    /// <summary>
    /// Matching notes with afterSeq &lt; seq &lt;= untilSeq (0 = no bound) whose encoded size fits in maxBytes
    /// (a single larger note travels alone). Scans at most maxScan entries so one request cannot hold the server long.
    /// </summary>
    public PageResult ReadPage(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, int maxScan = 200_000)
    {
        var page = new NotePage();
        var (_, _, next, complete) = ScanPage(filter, afterSeq, untilSeq, maxBytes, maxScan, page);
        return new PageResult(page.Notes, next, complete);
    }

    /// <summary>
    /// The page <see cref="ReadPage"/> gives, written straight to <paramref name="output"/> as a history page's
    /// notes (<see cref="WireNoteWriter"/>), with no object per note. For filters without grep (which reads the text).
    /// </summary>
    public WirePageResult ReadPageWire(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, IBufferWriter<byte> output, int maxScan = 200_000)
    {
        if (filter.Grep is not null) throw new ArgumentException("a grep filter needs ReadPage", nameof(filter));
        var (notes, bytes, next, complete) = ScanPage(filter, afterSeq, untilSeq, maxBytes, maxScan, new WirePage(output));
        return new WirePageResult(notes, bytes, next, complete);
    }

    /// <summary>Where a page scan puts the notes it takes: Note objects, or their wire form.</summary>
    private interface IPageSink
    {
        /// <summary>The size the entry's note takes in the page, or -1 to pass over it (not a valid record, or its text does not match).</summary>
        int Prepare(in IndexEntry e, RecordReader reader, HistoryMatcher matcher);

        /// <summary>Keeps the note last prepared.</summary>
        void Accept();
    }

    private sealed class NotePage : IPageSink
    {
        private Note? _prepared;

        public List<Note> Notes { get; } = [];

        public int Prepare(in IndexEntry e, RecordReader reader, HistoryMatcher matcher)
        {
            _prepared = reader.Read(e) is { } r && matcher.MatchesText(r.Text) ? r.ToNote() : null;
            return _prepared is null ? -1 : MessageCodec.NoteSize(_prepared);
        }

        public void Accept() => Notes.Add(_prepared!);
    }

    private sealed class WirePage(IBufferWriter<byte> output) : IPageSink
    {
        private int _prepared;

        public int Prepare(in IndexEntry e, RecordReader reader, HistoryMatcher matcher)
        {
            var line = reader.Line(e);
            return _prepared = WireNoteWriter.TryWrite(line, output.GetSpan(WireNoteWriter.MaxSize(line.Length)), out var size) ? size : -1;
        }

        public void Accept() => output.Advance(_prepared);
    }

    /// <summary>
    /// Matching notes with afterSeq &lt; seq &lt;= untilSeq into <paramref name="page"/> while they fit in maxBytes
    /// (a single larger note travels alone), scanning at most maxScan entries; the notes and bytes taken, the cursor
    /// to go on from, and whether the range is done.
    /// </summary>
    private (int Notes, int Bytes, ulong Next, bool Complete) ScanPage<TPage>(
        HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, int maxScan, TPage page) where TPage : IPageSink
    {
        var count = _index.Count;
        var matcher = new HistoryMatcher(filter, _clientNames, _addresses);
        var position = _index.FirstAfter(afterSeq, count);
        if (matcher.MatchesNothing) return (0, 0, afterSeq, true);
        using var reader = new RecordReader(_file);
        var notes = 0;
        var used = 0;
        var cursor = afterSeq;
        var scanned = 0;
        for (; position < count; position++)
        {
            var e = _index[position];
            if (untilSeq != 0 && e.Seq > untilSeq) break;
            if (scanned++ == maxScan) return (notes, used, cursor, false);
            if (matcher.MatchesIndex(e) && page.Prepare(e, reader, matcher) is var size and >= 0)
            {
                if (notes > 0 && used + size > maxBytes) return (notes, used, cursor, false);
                page.Accept();
                notes++;
                used += size;
            }
            cursor = e.Seq;
        }
        return (notes, used, untilSeq != 0 ? Math.Max(cursor, Math.Min(untilSeq, LastSeq)) : cursor, true);
    }

    public IReadOnlyList<ClientSummary> Clients(int start = 0) => _clients.Snapshot(start);

    public void Dispose() => _file.Dispose();
}
