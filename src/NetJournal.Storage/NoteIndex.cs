namespace NetJournal.Storage;

/// <summary>
/// The in-memory index of the journal, in seq order. One writer appends; any number of readers
/// read without locks: entries live in fixed chunks that never move, and Count is published after the entry is written.
/// </summary>
public sealed class NoteIndex
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly IndexEntry[]?[] _chunks = new IndexEntry[]?[1 << 15];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IndexEntry this[int index] => _chunks[index >> ChunkBits]![index & (ChunkSize - 1)];

    public void Add(in IndexEntry entry)
    {
        var index = _count;
        var chunk = _chunks[index >> ChunkBits] ??= new IndexEntry[ChunkSize];
        chunk[index & (ChunkSize - 1)] = entry;
        Volatile.Write(ref _count, index + 1);
    }

    /// <summary>The position of the first entry with Seq greater than <paramref name="seq"/> (Count if none).</summary>
    public int FirstAfter(ulong seq, int count)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (this[mid].Seq <= seq) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
