namespace NetJournal.Client;

/// <summary>What a <see cref="FollowEvent"/> tells.</summary>
public enum FollowEventKind
{
    /// <summary>A matching note, the next in seq order (<see cref="FollowEvent.Note"/>).</summary>
    Note,

    /// <summary>The server has not answered a lease renewal for the client's give-up time; following goes on trying.</summary>
    NotAnswering,

    /// <summary>The server answered again after <see cref="NotAnswering"/>, the same server process.</summary>
    Resumed,

    /// <summary>The server answered as a new process (it restarted): the follow was registered again and resumes after <see cref="FollowEvent.Seq"/>.</summary>
    Restarted,
}
