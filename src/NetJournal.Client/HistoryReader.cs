using System.Runtime.CompilerServices;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// Fetches history with several pages in flight: counts the matches first (which fixes the range and the newest seq),
/// splits the seq range into segments read side by side, each page by page from its cursor, and yields the notes in
/// seq order. A lost page is asked for again as soon as a page asked for later arrives (the client's loss detection),
/// not after a timeout. How many segments are read at once adapts to loss (AIMD): halved when a page is lost, grown
/// by one a round trip's worth of clean pages, up to twice <see cref="JournalClientOptions.HistoryParallelism"/>.
/// A read that cannot finish says which seq range it could not fetch.
/// </summary>
internal sealed class HistoryReader(JournalClient client)
{
    private readonly Lock _gate = new();
    private double _window = Math.Max(1, client.Options.HistoryParallelism);
    private readonly double _maxWindow = 2.0 * Math.Max(1, client.Options.HistoryParallelism);
    // A loss of a page sent before the last cut is the same congestion event: the window is cut once per round trip.
    private TimeSpan _lastCut = TimeSpan.MinValue;

    /// <summary>Segments to read at once now.</summary>
    internal int Window
    {
        get { lock (_gate) return (int)_window; }
    }

    public async IAsyncEnumerable<Note> ReadAsync(HistoryFilter filter, ulong lastN, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = await client.CountAsync(filter, lastN, cancellationToken).ConfigureAwait(false);
        if (count.Matched == 0) yield break;
        await foreach (var note in ReadRangeAsync(filter, count.StartAfterSeq, count.EndSeq, cancellationToken).ConfigureAwait(false)) yield return note;
    }

    /// <summary>The matching notes with <paramref name="start"/> &lt; seq &lt;= <paramref name="end"/>, in seq order (no count first: the range is known).</summary>
    public async IAsyncEnumerable<Note> ReadRangeAsync(HistoryFilter filter, ulong start, ulong end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parallelism = Math.Max(1, client.Options.HistoryParallelism);
        // Small segments and little read-ahead: notes waiting for the segment before them are garbage the GC must
        // carry, and with 500,000 of them held that cost more than the reading (a 1M-note fetch took 1.9 s, now 1.2 s).
        var span = Math.Max(256UL, (end - start) / (ulong)(parallelism * 64) + 1);
        // Segments in seq order, each with the seq it starts after. Up to the window of them are being read at once;
        // a slow one at the head (a page lost again and again) does not stop the others, up to a bounded read-ahead.
        var segments = new Queue<(ulong After, Task<List<ReceivedPage>> Pages)>();
        var reading = new List<Task>();
        // Notes are made from a page's bytes only as they are handed out, so they die young; names and addresses recur.
        var notes = new List<Note>();
        var strings = new Utf8StringCache();
        var next = start;
        while (next < end || segments.Count > 0)
        {
            while (next < end && segments.Count < (int)_maxWindow * 2 && Reading(segments) < Window)
            {
                var from = next;
                var to = Math.Min(end, next + span);
                segments.Enqueue((from, ReadSegmentAsync(filter, from, to, cancellationToken)));
                next = to;
            }
            var head = segments.Peek();
            if (!head.Pages.IsCompleted)
            {
                // The head goes in by itself: every segment may complete between the check above and this line,
                // and WhenAny refuses an empty set.
                reading.Clear();
                reading.Add(head.Pages);
                foreach (var segment in segments)
                {
                    if (!segment.Pages.IsCompleted) reading.Add(segment.Pages);
                }
                await Task.WhenAny(reading).ConfigureAwait(false);
                continue;
            }
            segments.Dequeue();
            var pages = await TakeAsync(head.Pages, head.After, end).ConfigureAwait(false);
            foreach (var page in pages)
            {
                notes.Clear();
                page.ReadNotes(notes, strings);
                foreach (var note in notes) yield return note;
            }
        }
    }

    private static int Reading(Queue<(ulong After, Task<List<ReceivedPage>> Pages)> segments)
    {
        var n = 0;
        foreach (var segment in segments)
        {
            if (!segment.Pages.IsCompleted) n++;
        }
        return n;
    }

    /// <summary>A finished segment's pages; if it failed, an error that says from which seq on the history is missing.</summary>
    private static async Task<List<ReceivedPage>> TakeAsync(Task<List<ReceivedPage>> pages, ulong after, ulong end)
    {
        try
        {
            return await pages.ConfigureAwait(false);
        }
        catch (JournalUnavailableException e)
        {
            // The segments read ahead are dropped with the rest of the read; their pooled pages are left to the collector.
            throw new JournalUnavailableException($"history incomplete: notes #{after + 1:N0} to #{end:N0} could not be fetched; {e.Message}");
        }
    }

    private async Task<List<ReceivedPage>> ReadSegmentAsync(HistoryFilter filter, ulong after, ulong until, CancellationToken cancellationToken)
    {
        var pages = new List<ReceivedPage>();
        var cursor = after;
        while (true)
        {
            var page = await client.ReceivePageAsync(filter, cursor, until, cancellationToken, OnLost).ConfigureAwait(false);
            OnPage();
            pages.Add(page);
            if (page.Complete || page.NextAfterSeq >= until) return pages;
            // A page that made no progress would loop forever: the server always moves the cursor, so stop if it did not.
            if (page.NextAfterSeq <= cursor) return pages;
            cursor = page.NextAfterSeq;
        }
    }

    /// <summary>A page request was lost: halve the window, once per round trip of losses.</summary>
    private void OnLost(TimeSpan sentAt)
    {
        lock (_gate)
        {
            if (sentAt < _lastCut) return;
            _window = Math.Max(1, _window / 2);
            _lastCut = client.Now;
        }
    }

    /// <summary>A page came: grow the window by one for every window's worth of pages.</summary>
    private void OnPage()
    {
        lock (_gate) _window = Math.Min(_maxWindow, _window + 1 / _window);
    }
}
