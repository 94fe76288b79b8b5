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

    /// <summary>
    /// How many notes before seq <paramref name="beforeSeq"/> match (0: no bound), and the latest <paramref name="cite"/>
    /// of them, oldest first. A question is answered about the journal as it was when asked: not counting itself.
    /// </summary>
    public (ulong Matched, IReadOnlyList<Note> Latest) CountAndLatest(HistoryFilter filter, int cite, ulong beforeSeq)
    {
        if (beforeSeq == 1) return (0, []);
        var count = store.Count(filter, 0);
        var later = beforeSeq == 0 ? 0 : Read(filter, beforeSeq - 1, count.EndSeq, MaxScan).Count;
        var matched = count.Matched - (ulong)later;
        return (matched, matched == 0 ? [] : Latest(filter, cite, beforeSeq));
    }

    /// <summary>The latest <paramref name="n"/> matching notes before seq <paramref name="beforeSeq"/> (0: no bound), oldest first.</summary>
    public IReadOnlyList<Note> Latest(HistoryFilter filter, int n, ulong beforeSeq)
    {
        if (beforeSeq == 1) return [];
        var count = store.Count(filter, 0);
        var later = beforeSeq == 0 ? 0 : Read(filter, beforeSeq - 1, count.EndSeq, MaxScan).Count;
        var start = store.Count(filter, (ulong)(n + later)).StartAfterSeq;
        var notes = Read(filter, start, beforeSeq == 0 ? count.EndSeq : beforeSeq - 1, n + later);
        return notes.Count <= n ? notes : [.. notes.Skip(notes.Count - n)];
    }

    /// <summary>Matching notes before seq <paramref name="beforeSeq"/> (0: no bound) in seq order, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<Note> ReadBefore(HistoryFilter filter, ulong beforeSeq, int max) =>
        beforeSeq == 1 ? [] : Read(filter, 0, beforeSeq == 0 ? 0 : beforeSeq - 1, max);

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
