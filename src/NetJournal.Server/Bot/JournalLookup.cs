using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Server.Bot;

/// <summary>
/// The reads the bot makes of the journal, through <see cref="IJournalStore"/>'s count and page queries (any thread),
/// each bounded: at most <see cref="MaxScan"/> notes are looked at for one question.
/// </summary>
public sealed class JournalLookup(IJournalStore store)
{
    /// <summary>Most notes one question scans (counting writers over a week, say).</summary>
    public const int MaxScan = 200_000;

    private const int PageBytes = 1 << 20;

    public IJournalStore Store => store;

    /// <summary>How many notes match, and the seqs of the latest <paramref name="cite"/> of them, oldest first.</summary>
    public (ulong Matched, IReadOnlyList<Note> Latest) CountAndLatest(HistoryFilter filter, int cite)
    {
        var count = store.Count(filter, (ulong)cite);
        return (count.Matched, count.Matched == 0 ? [] : Read(filter, count.StartAfterSeq, count.EndSeq, cite));
    }

    /// <summary>The latest <paramref name="n"/> matching notes, oldest first.</summary>
    public IReadOnlyList<Note> Latest(HistoryFilter filter, int n)
    {
        var count = store.Count(filter, (ulong)n);
        return count.Matched == 0 ? [] : Read(filter, count.StartAfterSeq, count.EndSeq, n);
    }

    /// <summary>Matching notes in seq order, from the first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<Note> Read(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int max)
    {
        var notes = new List<Note>();
        while (notes.Count < max)
        {
            var page = store.ReadPage(filter, afterSeq, untilSeq, PageBytes);
            notes.AddRange(page.Notes.Take(max - notes.Count));
            if (page.Complete || page.NextAfterSeq <= afterSeq) break;
            afterSeq = page.NextAfterSeq;
        }
        return notes;
    }

    /// <summary>Clients known to the journal, in order of their first note.</summary>
    public IReadOnlyList<ClientSummary> Clients() => store.Clients();
}
