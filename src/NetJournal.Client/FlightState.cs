namespace NetJournal.Client;

/// <summary>Where an append datagram of a <see cref="NoteWriter"/> stands between its first transmission and its final answer.</summary>
internal enum FlightState : byte
{
    /// <summary>Sent and not answered since: lost if a later one is answered (<see cref="LossRule"/>), probed if nothing comes back.</summary>
    Sent,

    /// <summary>
    /// Answered Deferred: the server waits for an earlier datagram of ours and did not keep this one. Sent again as
    /// soon as that one is answered, and otherwise only on a long safety-net timer.
    /// </summary>
    Deferred,

    /// <summary>
    /// Answered Held: the server keeps it until the earlier datagrams arrive, then sends its final ack unasked
    /// (protocol §5.8). Never sent again because another one is answered or on the probe timeout; only probed, as it
    /// was, on a long timer, in case the server dropped it (restart, expiry) or its final ack was lost.
    /// </summary>
    Held,

    /// <summary>
    /// Answered StoreUnavailable (22): the server could not reach its store (PostgreSQL) and stored nothing. "Not
    /// yet", not final: another server of the same journal may store a copy, or this one once its store is back. Sent
    /// again after a backed-off wait (the probe timeout doubled per such answer, up to the max), through whichever
    /// server answers, until stored or a Duplicate; given up only a timeout after the first such answer.
    /// </summary>
    NotYet,

    /// <summary>Finally answered, or given up: its outcomes wait to be reported in order.</summary>
    Done,
}
