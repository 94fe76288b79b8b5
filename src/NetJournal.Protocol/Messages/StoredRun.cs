using System.Collections;

namespace NetJournal.Protocol;

/// <summary>
/// The results of an AppendAck in its most common shape, every note stored under consecutive seqs
/// (<c>FirstSeq</c>, <c>FirstSeq + 1</c>, …), held as two numbers instead of one <see cref="NoteResult"/> per note:
/// a client acknowledged for a bulk write of 163 notes a datagram keeps 40 bytes, not 4 KB, per datagram.
/// </summary>
public sealed class StoredRun(ulong firstSeq, int count) : IReadOnlyList<NoteResult>
{
    /// <summary>The seq of the first note; note <c>i</c> has <c>FirstSeq + i</c>.</summary>
    public ulong FirstSeq { get; } = firstSeq;

    /// <inheritdoc/>
    public int Count { get; } = count;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in 0 … Count − 1.</exception>
    public NoteResult this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return NoteResult.Stored(FirstSeq + (ulong)index);
        }
    }

    /// <summary>
    /// Reads an AppendAck datagram in place (as <see cref="AppendAckView.TryRead(ReadOnlySpan{byte}, out AppendAckView)"/>)
    /// and, in the same pass, whether every note was stored under consecutive seqs. False if the datagram is no valid
    /// AppendAck; <paramref name="run"/> is null when it is one of any other shape (a duplicate, a refusal, a deferral,
    /// a hold, or a gap in the seqs).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out AppendAckView ack, out StoredRun? run)
    {
        var sink = new RunSink();
        run = null;
        if (!AppendAckView.TryRead(datagram, ref sink, out ack)) return false;
        if (sink.InRow && sink.Count > 0) run = new StoredRun(sink.First, sink.Count);
        return true;
    }

    // Follows the results as the view validates them: still a run while each is Stored under the next seq.
    private struct RunSink : IItemSink<NoteResult>
    {
        public ulong First;
        public int Count;
        public bool InRow;

        public void Start(int count) => InRow = true;

        public void Add(NoteResult item)
        {
            if (Count == 0) First = item.Seq;
            InRow &= item.Status == NoteStatus.Stored && item.Seq == First + (ulong)Count;
            Count++;
        }
    }

    /// <inheritdoc/>
    public IEnumerator<NoteResult> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return NoteResult.Stored(FirstSeq + (ulong)i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
