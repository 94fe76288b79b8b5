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
}
