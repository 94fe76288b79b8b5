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
    /// The results of <paramref name="ack"/> as a run when every note was stored under consecutive seqs, or null when
    /// any was not (a duplicate, a refusal, a deferral, a hold, or a gap in the seqs).
    /// </summary>
    public static StoredRun? Of(AppendAckView ack)
    {
        ulong first = 0, expected = 0;
        var i = 0;
        foreach (var result in ack)
        {
            if (result.Status != NoteStatus.Stored) return null;
            if (i++ == 0) first = expected = result.Seq;
            if (result.Seq != expected++) return null;
        }
        return i == 0 ? null : new StoredRun(first, i);
    }

    /// <inheritdoc/>
    public IEnumerator<NoteResult> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return NoteResult.Stored(FirstSeq + (ulong)i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
