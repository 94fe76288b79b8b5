using System.Buffers;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Tests.Server;

/// <summary>A memory journal whose Commit or Count throws what it is given: a store with a bug, not a full disk.</summary>
internal sealed class FaultyStore(Exception? onCommit = null, Exception? onCount = null) : IJournalStore
{
    private readonly MemoryJournalStore _inner = new();

    public RecoveryReport Recovery => _inner.Recovery;
    public ulong LastSeq => _inner.LastSeq;
    public int NoteCount => _inner.NoteCount;
    public int ClientCount => _inner.ClientCount;
    public IPendingNoteEncoder NoteEncoder => _inner.NoteEncoder;
    public long LastCommitTimeMs => _inner.LastCommitTimeMs;
    public bool SupportsWirePages => _inner.SupportsWirePages;
    public bool Disposed { get; private set; }

    public JournalWriteException? Commit(IReadOnlyList<PendingNote> batch, Span<NoteResult> results) =>
        onCommit is null ? _inner.Commit(batch, results) : throw onCommit;

    public CountResult Count(HistoryFilter filter, ulong lastN) => onCount is null ? _inner.Count(filter, lastN) : throw onCount;

    public PageResult ReadPage(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, int maxScan = 200_000) =>
        _inner.ReadPage(filter, afterSeq, untilSeq, maxBytes, maxScan);

    public WirePageResult ReadPageWire(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, IBufferWriter<byte> output, int maxScan = 200_000) =>
        _inner.ReadPageWire(filter, afterSeq, untilSeq, maxBytes, output, maxScan);

    public IReadOnlyList<ClientSummary> Clients(int start = 0) => _inner.Clients(start);

    public void Dispose()
    {
        Disposed = true;
        _inner.Dispose();
    }
}
