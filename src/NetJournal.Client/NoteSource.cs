using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// The notes a <see cref="NoteWriter"/> sends, in order, as UTF-8 bytes: looked at (<see cref="TryPeek"/>) before
/// they are taken (<see cref="Advance"/>), so a note that does not fit the datagram being packed waits for the next.
/// Filled by a reading task of its own; the writer is woken when a note arrives into an empty source.
/// </summary>
internal abstract class NoteSource
{
    /// <summary>
    /// The next note if one is ready now: its bytes (valid until <see cref="Advance"/>), its text when the source has
    /// it as a string (null for bytes read from a stream), and what the note rules say of it.
    /// </summary>
    public abstract bool TryPeek(out ReadOnlySpan<byte> utf8, out string? text, out ErrorCode error);

    /// <summary>Takes the note <see cref="TryPeek"/> showed.</summary>
    public abstract void Advance();

    /// <summary>True once every note was read and taken; <see cref="Reading"/> then says whether reading failed.</summary>
    public abstract bool Exhausted { get; }

    /// <summary>The reading task; it ends with the input, or throws what reading threw.</summary>
    public abstract Task Reading { get; }

    /// <summary>Starts reading; <paramref name="wake"/> is called when notes arrive into an empty source and when the input ends.</summary>
    public abstract void Start(Action wake, CancellationToken cancellationToken);

    /// <summary>The 1-based input line note number <paramref name="index"/> (0-based, in taking order) came from; 0 when the source has no lines.</summary>
    public virtual long LineOf(long index) => 0;

    /// <summary>True when note <paramref name="index"/> was not valid UTF-8 and is sent with U+FFFD in place of the bad bytes.</summary>
    public virtual bool WasRepaired(long index) => false;

    /// <summary>Gives back any pooled buffers once the writer is done with the source.</summary>
    public virtual void Release()
    {
    }
}
