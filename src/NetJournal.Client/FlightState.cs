namespace NetJournal.Client;

/// <summary>Where an append datagram of a <see cref="NoteWriter"/> stands between its first transmission and its final answer.</summary>
internal enum FlightState : byte
{
    /// <summary>Sent and not answered since: lost if a later one is answered (<see cref="LossRule"/>), probed if nothing comes back.</summary>
    Sent,

    /// <summary>
    /// Answered Deferred: the server waits for an earlier datagram of ours. Sent again as soon as that one is answered,
    /// and otherwise only on a long safety-net timer. A "held" answer (the server keeps the notes and stores them once
    /// the gap fills) would be a third state beside this one: waiting for its final answer, never sent again on the
    /// earlier one's answer, probed only on the long timer.
    /// </summary>
    Deferred,

    /// <summary>Finally answered, or given up: its outcomes wait to be reported in order.</summary>
    Done,
}
