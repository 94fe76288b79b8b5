using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// A request of a <see cref="JournalClient"/> waiting for its reply: the reply when it comes, and its latest
/// transmission's number and time, by which an answer to a later request shows it lost (<see cref="LossRule"/>).
/// </summary>
internal sealed class PendingRequest
{
    private TaskCompletionSource _nudge = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<JournalMessage> Reply { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The number of its latest transmission among all of the client's requests; 0 before the first.</summary>
    public long SendNumber { get; private set; }
    public TimeSpan SentAt { get; private set; }
    public int Transmissions { get; private set; }

    /// <summary>Completes when a later request was answered, or the server's port was reported closed: time to look again.</summary>
    public Task Nudged => Volatile.Read(ref _nudge).Task;

    /// <summary>Records a transmission; a reply to a challenge starts a new exchange (<paramref name="fresh"/>), with a new reply to wait for.</summary>
    public void Sent(long sendNumber, TimeSpan at, bool fresh)
    {
        if (fresh)
        {
            Reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Transmissions = 0;
        }
        SendNumber = sendNumber;
        SentAt = at;
        Transmissions++;
    }

    public void Nudge() => Volatile.Read(ref _nudge).TrySetResult();

    /// <summary>Arms the next nudge; call before looking at the state that a nudge says has changed.</summary>
    public void Rearm()
    {
        if (_nudge.Task.IsCompleted) Volatile.Write(ref _nudge, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
