namespace NetJournal.Client;

/// <summary>
/// What a <see cref="NoteWriter"/> sleeps on between turns: an ack, new input, a closed port, or its next timer.
/// Unlike a semaphore's wait, the sleeper's continuation runs on the thread that wakes it (the receive loop, most
/// often), which is awake already: a bulk write then costs one thread hand-over per datagram answered, not two.
/// A wake with no sleeper is kept for the next wait. One sleeper at a time.
/// </summary>
internal sealed class WriterWake : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private TaskCompletionSource? _sleeper;
    private bool _woken;

    public WriterWake() => _timer = new Timer(static state => ((WriterWake)state!).Wake(), this, Timeout.Infinite, Timeout.Infinite);

    public void Wake()
    {
        TaskCompletionSource? sleeper;
        lock (_gate)
        {
            sleeper = _sleeper;
            _sleeper = null;
            if (sleeper is null) _woken = true;
        }
        // Outside the lock: the sleeper runs on from here.
        sleeper?.TrySetResult();
    }

    /// <summary>Completes at the next <see cref="Wake"/> (at once if one came since the last wait), or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout)
    {
        TaskCompletionSource sleeper;
        lock (_gate)
        {
            if (_woken)
            {
                _woken = false;
                return Task.CompletedTask;
            }
            // No RunContinuationsAsynchronously: the waker runs the sleeper, as said above.
            sleeper = _sleeper = new TaskCompletionSource();
            // Armed under the lock: a waker may run the sleeper on and into its next wait at once, and that wait's
            // timeout must not be overwritten by this one's.
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }
        return sleeper.Task;
    }

    public void Dispose() => _timer.Dispose();
}
