using NetJournal.Protocol;
using Npgsql;

namespace NetJournal.Storage.PostgreSql;

// The feed of every note stored, by any server: LISTEN wakes it, the notes are read from the table after the last seq
// delivered. A wake-up lost while the connection was down costs nothing: the feed reads again after reconnecting, and
// at least every PollInterval in any case.
public sealed partial class PostgresJournalStore
{
    /// <summary>Longest wait without a wake-up before the feed looks at the table anyway.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const int FollowPage = 5000;

    /// <inheritdoc/>
    public IAsyncDisposable Follow(ulong afterSeq, Action<IReadOnlyList<Note>> onNotes, Action<Exception>? onTrouble = null)
    {
        var stop = new CancellationTokenSource();
        var running = Task.Factory.StartNew(() => FollowLoopAsync(afterSeq, onNotes, onTrouble, stop.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return new Subscription(stop, running);
    }

    private sealed class Subscription(CancellationTokenSource stop, Task running) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            stop.Dispose();
        }
    }

    private async Task FollowLoopAsync(ulong delivered, Action<IReadOnlyList<Note>> onNotes, Action<Exception>? onTrouble, CancellationToken stop)
    {
        var retry = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(stop).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                retry = TimeSpan.FromMilliseconds(100);
                while (!stop.IsCancellationRequested)
                {
                    // Listening first, then reading: a commit after the read wakes the wait below.
                    delivered = await DeliverAsync(connection, delivered, onNotes, stop).ConfigureAwait(false);
                    await connection.WaitAsync(PollInterval, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                onTrouble?.Invoke(Unreachable(e));
                try
                {
                    await Task.Delay(retry, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>Reads and hands on every note after <paramref name="delivered"/>, a page at a time; returns the last seq handed on.</summary>
    private async Task<ulong> DeliverAsync(NpgsqlConnection connection, ulong delivered, Action<IReadOnlyList<Note>> onNotes, CancellationToken stop)
    {
        while (true)
        {
            var notes = new List<Note>();
            // Up to the counter in the same snapshot: every seq below it is committed, so nothing is skipped.
            await using (var command = new NpgsqlCommand(
                $"SELECT {NoteColumns} FROM netjournal.notes WHERE seq > @after AND seq <= (SELECT last_seq FROM netjournal.counter WHERE id = 1) ORDER BY seq LIMIT {FollowPage}", connection))
            {
                command.Parameters.AddWithValue("after", (long)delivered);
                await using var reader = await command.ExecuteReaderAsync(stop).ConfigureAwait(false);
                while (await reader.ReadAsync(stop).ConfigureAwait(false)) notes.Add(ReadNote(reader));
            }
            if (notes.Count == 0) return delivered;
            onNotes(notes);
            delivered = notes[^1].Seq;
            Seen(delivered);
            if (notes.Count < FollowPage) return delivered;
        }
    }
}
