using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// Told of the notes each group commit made durable, in seq order, on the commit thread right after the
/// acknowledgements went out. An implementation must return at once (queue the notes, never wait on I/O or a
/// lock another thread holds long): every append waits behind it. The span is valid only during the call.
/// An exception thrown here is a fault of the server: it stops.
/// </summary>
public interface ICommitListener
{
    void OnCommitted(ReadOnlySpan<CommittedNote> notes);

    /// <summary>
    /// False while the listener has no use for notes (a registry without followers): when no listener is listening,
    /// the commit thread builds no <see cref="CommittedNote"/>s at all. Read on the commit thread before each call.
    /// </summary>
    bool IsListening => true;

    /// <summary>
    /// Whether the listener wants <paramref name="note"/> at all, judged before any <see cref="CommittedNote"/> or
    /// string is made for it: a note no listening listener wants costs the commit thread nothing. A listener that
    /// wants a few notes (the bot: questions only) spares every other note a string. A note one listener wants goes
    /// to every listening listener, which must still pick its own. Default: every note. Called on the commit thread.
    /// </summary>
    bool Wants(in PendingNote note) => true;
}
