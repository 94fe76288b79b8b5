namespace NetJournal.Protocol;

public enum NoteStatus : byte
{
    /// <summary>Written and flushed to disk by this request.</summary>
    Stored = 1,

    /// <summary>Already stored by an earlier copy of the same (instance, number); not stored again.</summary>
    Duplicate = 2,

    /// <summary>Refused; the error code says why. Not stored.</summary>
    Rejected = 3,

    /// <summary>
    /// Not stored yet: an earlier number of the same instance has not arrived, and notes are stored in the
    /// order their client numbered them. Send it again once the earlier one is answered.
    /// </summary>
    Deferred = 4,

    /// <summary>
    /// Received and kept in the server's memory, not stored yet: an earlier number of the same instance has not arrived.
    /// It will be stored in the client's order as soon as the earlier numbers arrive, and a second AppendAck for the
    /// same datagram then gives its final results (Stored, Duplicate or Rejected). Do not send it again unless nothing
    /// is heard for a long time: the server may drop it (after a restart, or when it waited too long). Sent only to a
    /// request that carried <see cref="HeaderFlags.AcceptsHeld"/>; no body.
    /// </summary>
    Held = 5,
}
