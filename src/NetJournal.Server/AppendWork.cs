using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// One datagram's notes on their way to the commit thread. ReplyTo is null for sources that get no
/// acknowledgement (plain text, syslog): such a work carries all of those notes of one receive batch.
/// Reused: the commit queue hands it out and takes it back once the datagram is acknowledged, so the
/// receive thread fills an old one instead of allocating.
/// </summary>
/// <param name="encoder">Prepares the notes for the store (null: <see cref="JournalStore"/>'s).</param>
/// <param name="keepText">Keep native notes' UTF-8 text too, for commit listeners.</param>
internal sealed class AppendWork(IPendingNoteEncoder? encoder = null, bool keepText = false)
{
    public ClientAddress? ReplyTo { get; private set; }
    public ulong Instance { get; private set; }
    public ulong FirstNumber { get; private set; }
    public int RequestBytes { get; private set; }
    public PendingNotes Notes { get; } = encoder is null ? new() : new(encoder, keepText);

    public AppendWork Start(ClientAddress? replyTo, ulong instance, ulong firstNumber, int requestBytes)
    {
        Notes.Clear();
        (ReplyTo, Instance, FirstNumber, RequestBytes) = (replyTo, instance, firstNumber, requestBytes);
        return this;
    }

    /// <summary>Counts one more datagram's bytes in a work that carries several (plain text, syslog).</summary>
    public void AddRequestBytes(int bytes) => RequestBytes += bytes;

    /// <summary>Forgets the datagram, so a work waiting for reuse keeps no client alive.</summary>
    public void Reset()
    {
        Notes.Clear();
        ReplyTo = null;
    }
}
