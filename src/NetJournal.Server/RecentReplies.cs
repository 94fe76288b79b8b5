using System.Diagnostics;

namespace NetJournal.Server;

/// <summary>
/// The last replies the query thread sent, kept for a few seconds. A client that retransmits a request
/// whose answer was slow (a count with --grep over millions of notes) gets the same answer again at once,
/// instead of the server scanning the whole journal once per copy. Bounded in entries and bytes.
/// </summary>
internal sealed class RecentReplies(int maxEntries = 256, long maxBytes = 8 * 1024 * 1024)
{
    private static readonly long Lifetime = Stopwatch.Frequency * 10;
    private readonly Dictionary<object, (byte[] Reply, long At)> _replies = [];
    private readonly Queue<object> _order = new();
    private long _bytes;

    public bool TryGet(object key, out byte[] reply)
    {
        if (_replies.TryGetValue(key, out var entry) && Stopwatch.GetTimestamp() - entry.At < Lifetime)
        {
            reply = entry.Reply;
            return true;
        }
        reply = [];
        return false;
    }

    public void Add(object key, ReadOnlySpan<byte> reply)
    {
        if (_replies.ContainsKey(key)) return;
        while (_order.Count > 0 && (_order.Count >= maxEntries || _bytes + reply.Length > maxBytes))
        {
            if (_replies.Remove(_order.Dequeue(), out var old)) _bytes -= old.Reply.Length;
        }
        _replies[key] = (reply.ToArray(), Stopwatch.GetTimestamp());
        _order.Enqueue(key);
        _bytes += reply.Length;
    }
}
