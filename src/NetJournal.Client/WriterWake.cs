using System.Diagnostics;

namespace NetJournal.Client;

/// <summary>
/// What a <see cref="NoteWriter"/> sleeps on between turns: an ack, new input, a closed port, or its next timer.
/// Unlike a semaphore's wait, the sleeper's continuation runs on the thread that wakes it (the receive loop, most
/// often), which is awake already: a bulk write then costs one thread hand-over per datagram answered, not two.
/// A wake with no sleeper is kept for the next wait. One sleeper at a time.
/// </summary>
/// <remarks>
/// The timer is a thread of its own that sleeps until the deadline it last saw and is told of a new one only when it
/// is earlier. A bulk write waits once per datagram answered, each time with a deadline a little later than the last;
/// a <see cref="Timer"/> changed each time cost two thread switches on the timer's thread, and each firing woke two
/// thread-pool threads. This timer thread wakes once per timeout period at most, finds the sleeper's deadline still
/// ahead (an ack came), and sleeps on until it; when it is due, the writer runs on from the timer thread.
/// </remarks>
internal sealed class WriterWake : IDisposable
{
    private readonly object _gate = new();
    private Thread? _timer;
    private TaskCompletionSource? _sleeper;
    private bool _woken;
    private bool _disposed;
    // Stopwatch milliseconds: when the sleeper is due, and until when the timer thread sleeps (long.MaxValue: until told).
    private long _sleeperDue;
    private long _timerSleepsUntil = long.MaxValue;

    private static long NowMs => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;

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
            _sleeperDue = NowMs + (long)Math.Ceiling(timeout.TotalMilliseconds);
            if (_timer is null)
            {
                _timer = new Thread(RunTimer) { IsBackground = true, Name = "netjournal timer" };
                _timer.Start();
            }
            else if (_sleeperDue < _timerSleepsUntil)
            {
                Monitor.Pulse(_gate);
            }
        }
        return sleeper.Task;
    }

    private void RunTimer()
    {
        while (true)
        {
            TaskCompletionSource? due = null;
            lock (_gate)
            {
                while (due is null)
                {
                    if (_disposed) return;
                    if (_sleeper is null)
                    {
                        _timerSleepsUntil = long.MaxValue;
                        Monitor.Wait(_gate);
                        continue;
                    }
                    var left = _sleeperDue - NowMs;
                    if (left <= 0)
                    {
                        due = _sleeper;
                        _sleeper = null;
                        _timerSleepsUntil = long.MaxValue;
                    }
                    else
                    {
                        _timerSleepsUntil = _sleeperDue;
                        Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
                    }
                }
            }
            due.TrySetResult();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.Pulse(_gate);
        }
    }
}
