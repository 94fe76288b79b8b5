using NetJournal.Server;

namespace NetJournal.Tests.Server;

/// <summary>Keeps every committed note it is told of, and lets a test await a number of them.</summary>
internal sealed class RecordingListener : ICommitListener
{
    private readonly Lock _gate = new();
    private readonly List<CommittedNote> _notes = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waits = [];

    public IReadOnlyList<CommittedNote> Notes
    {
        get { lock (_gate) return [.. _notes]; }
    }

    /// <summary>Completes once at least <paramref name="count"/> notes were committed.</summary>
    public Task WhenAtLeast(int count)
    {
        lock (_gate)
        {
            if (_notes.Count >= count) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((count, done));
            return done.Task;
        }
    }

    public void OnCommitted(ReadOnlySpan<CommittedNote> notes)
    {
        lock (_gate)
        {
            _notes.AddRange(notes);
            foreach (var (count, done) in _waits)
                if (_notes.Count >= count) done.TrySetResult();
        }
    }
}
