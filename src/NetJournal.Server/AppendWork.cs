using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// One datagram's notes on their way to the commit thread. ReplyTo is null for sources that get no
/// acknowledgement (plain text, syslog): such a work carries all of those notes of one receive batch.
/// Reused: the commit queue hands it out and takes it back once the datagram is acknowledged, so the
/// receive thread fills an old one instead of allocating. A datagram that came before an earlier number of its client
/// may be kept longer, by <see cref="HeldAppends"/>, until its turn comes; it goes back to the queue's pool after that.
/// </summary>
/// <param name="encoder">Prepares the notes for the store (null: <see cref="JournalStore"/>'s).</param>
/// <param name="keepText">Keep native notes' UTF-8 text too, for commit listeners.</param>
internal sealed class AppendWork(IPendingNoteEncoder? encoder = null, bool keepText = false)
{
    public ClientAddress? ReplyTo { get; private set; }
    public ulong Instance { get; private set; }
    public ulong FirstNumber { get; private set; }
    public int RequestBytes { get; private set; }

    /// <summary>The request's Base: every number below it is settled at the client.</summary>
    public ulong Base { get; private set; }

    /// <summary>A later request of the same instance settled more numbers: what it said holds for this one too.</summary>
    public void RaiseBase(ulong @base) => Base = Math.Max(Base, @base);

    /// <summary>The request carried <see cref="Protocol.HeaderFlags.AcceptsHeld"/>: it may be held rather than deferred.</summary>
    public bool AcceptsHeld { get; private set; }

    /// <summary>
    /// When it was first held (Unix ms), or 0 if never: a copy that replaces a held one takes its time, so a
    /// retransmission does not make a datagram wait longer than <see cref="HeldAppends"/> allows.
    /// </summary>
    public long HeldSinceMs { get; set; }

    /// <summary>Kept beyond its batch, in <see cref="HeldAppends"/> or for the next batch: not to be given back to the pool yet.</summary>
    public bool IsKept { get; set; }

    public PendingNotes Notes { get; } = encoder is null ? new() : new(encoder, keepText);

    /// <summary>The number after this datagram's last note: the FirstNumber of the datagram that follows it.</summary>
    public ulong NextNumber => FirstNumber + (ulong)Notes.Count;

    public AppendWork Start(ClientAddress? replyTo, ulong instance, ulong firstNumber, int requestBytes, ulong @base = 0, bool acceptsHeld = false)
    {
        Notes.Clear();
        (ReplyTo, Instance, FirstNumber, RequestBytes, Base, AcceptsHeld) = (replyTo, instance, firstNumber, requestBytes, @base, acceptsHeld);
        (HeldSinceMs, IsKept) = (0, false);
        Completion = null;
        return this;
    }

    /// <summary>
    /// Set for a note written inside the server (<see cref="JournalServer.AppendAsync"/>): completed by the commit thread
    /// with the note's result once the batch is durable (or failed). Null for a datagram.
    /// </summary>
    public TaskCompletionSource<AppendResult>? Completion { get; private set; }

    /// <summary>Starts a work for one note written inside the server, answered through <paramref name="completion"/>.</summary>
    public AppendWork StartLocal(TaskCompletionSource<AppendResult> completion)
    {
        Start(null, 0, 0, 0);
        Completion = completion;
        return this;
    }

    /// <summary>Counts one more datagram's bytes in a work that carries several (plain text, syslog).</summary>
    public void AddRequestBytes(int bytes) => RequestBytes += bytes;

    /// <summary>Forgets the datagram, so a work waiting for reuse keeps no client alive.</summary>
    public void Reset()
    {
        Notes.Clear();
        ReplyTo = null;
        Completion = null;
        (HeldSinceMs, IsKept) = (0, false);
    }
}
