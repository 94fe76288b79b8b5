using System.Buffers;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// A journal as the server uses it: it stores batches of notes in each client's order (<see cref="DeliveryOrder"/>),
/// gives every stored note its seq and time, and answers count, history and clients queries. One thread commits;
/// any thread may query. <see cref="JournalStore"/> (a JSON Lines file) is the default; <see cref="MemoryJournalStore"/> keeps notes in memory.
/// </summary>
public interface IJournalStore : IDisposable
{
    /// <summary>What opening the journal found; its Path names where the journal lives.</summary>
    RecoveryReport Recovery { get; }

    /// <summary>The highest seq stored (0 for an empty journal). Any thread.</summary>
    ulong LastSeq { get; }

    /// <summary>Notes stored.</summary>
    int NoteCount { get; }

    /// <summary>Distinct client names among the stored notes.</summary>
    int ClientCount { get; }

    /// <summary>Prepares notes for this store's commit on the receive thread (<see cref="PendingNotes"/>).</summary>
    IPendingNoteEncoder NoteEncoder { get; }

    /// <summary>
    /// Stores a batch durably and fills one result per note: Stored with its seq, Duplicate, Deferred, Rejected with
    /// the note's refusal, or Rejected(StorageFailed) for every new note when the write failed. Returns that failure
    /// (null on success); any other exception is a fault of the store. Commit thread only.
    /// </summary>
    JournalWriteException? Commit(IReadOnlyList<PendingNote> batch, Span<NoteResult> results);

    /// <summary>The time (Unix ms) the last Commit that stored notes gave them (all of a batch share it). Commit thread only.</summary>
    long LastCommitTimeMs { get; }

    /// <summary>How many notes match, the cursor before the last <paramref name="lastN"/> of them (0 = all), the last seq and the total.</summary>
    CountResult Count(HistoryFilter filter, ulong lastN);

    /// <summary>
    /// Matching notes with afterSeq &lt; seq &lt;= untilSeq (0 = no bound) whose encoded size (<see cref="MessageCodec.NoteSize"/>)
    /// fits in maxBytes (a single larger note travels alone), scanning at most maxScan entries.
    /// </summary>
    PageResult ReadPage(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, int maxScan = 200_000);

    /// <summary>Whether <see cref="ReadPageWire"/> is supported: a page written straight in wire form, no object per note.</summary>
    bool SupportsWirePages { get; }

    /// <summary>
    /// The page <see cref="ReadPage"/> gives, written to <paramref name="output"/> as a history page's notes. For filters
    /// without grep.
    /// </summary>
    /// <exception cref="NotSupportedException">The store does not support wire pages (<see cref="SupportsWirePages"/>).</exception>
    /// <exception cref="ArgumentException">The filter has a grep.</exception>
    WirePageResult ReadPageWire(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, IBufferWriter<byte> output, int maxScan = 200_000);

    /// <summary>Clients in order of their first note, from position <paramref name="start"/>.</summary>
    IReadOnlyList<ClientSummary> Clients(int start = 0);
}
