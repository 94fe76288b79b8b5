using System.Diagnostics;
using System.Runtime.CompilerServices;
using NetJournal.Client;
using NetJournal.Storage;

namespace NetJournal.IntegrationTests;

[Collection(HeavyTests.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    /// <summary>Counts acknowledgements and lets the test wait, without polling, until a number of them has come.</summary>
    private sealed class AckCounter
    {
        private readonly Lock _gate = new();
        private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
        private long _count;

        public long Count { get { lock (_gate) return _count; } }

        public void Add()
        {
            lock (_gate)
            {
                _count++;
                foreach (var w in _waiters.Where(w => w.Target <= _count).ToList())
                {
                    w.Done.TrySetResult();
                    _waiters.Remove(w);
                }
            }
        }

        public Task WaitForAsync(long target, TimeSpan timeout)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_count >= target) return Task.CompletedTask;
                _waiters.Add((target, done));
            }
            return done.Task.WaitAsync(timeout);
        }
    }

    [Fact]
    public async Task Three_writers_across_at_least_ten_sigkills_of_the_server_keep_every_acknowledged_note_exactly_once_and_in_order()
    {
        const int writers = 3, minimumKills = 10, maxNotesPerWriter = 40_000;
        var data = TestServer.TempDirectory();
        var random = new Random(424242);
        var port = ServerProcess.FreeUdpPort();
        var server = await ServerProcess.StartAsync(data, port);
        var acks = new AckCounter();
        var stop = new CancellationTokenSource();
        var acknowledged = Enumerable.Range(0, writers).Select(_ => new List<string>()).ToArray();
        var notAcknowledged = Enumerable.Range(0, writers).Select(_ => new List<NoteOutcome>()).ToArray();
        var kills = 0;
        var killing = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var client = new JournalClient(server.EndPoint, new JournalClientOptions
            {
                Name = $"崩溃写手{w}",
                GiveUpAfter = TimeSpan.FromSeconds(30),
            });
            var summary = await client.WriteAsync(Notes(w, maxNotesPerWriter, stop.Token), o =>
            {
                if (o.IsStored)
                {
                    acknowledged[w].Add(o.Text);
                    acks.Add();
                }
                else
                {
                    notAcknowledged[w].Add(o);
                }
            });
            return summary;
        })).ToArray();
        try
        {
            // Kill at seeded random moments: each time after some new acknowledgements, plus a random extra wait,
            // so some kills land between commits and some in the middle of a batch.
            while (kills < minimumKills * 2 && (kills < minimumKills || killing.Elapsed < TimeSpan.FromSeconds(15)) && killing.Elapsed < TimeSpan.FromSeconds(60))
            {
                await acks.WaitForAsync(acks.Count + 1 + random.Next(0, 400), TimeSpan.FromSeconds(30));
                await Task.Delay(random.Next(0, 300));
                server.Signal("KILL");
                await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
                kills++;
                await server.DisposeAsync();
                server = await ServerProcess.StartAsync(data, port);
            }
            // Let the writers land some notes on the last server too, then finish.
            await acks.WaitForAsync(acks.Count + 1, TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            var summaries = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(90));

            var killingTime = killing.Elapsed;
            for (var w = 0; w < writers; w++)
                output.WriteLine($"崩溃写手{w}：发送 {summaries[w].Sent}，确认 {summaries[w].Stored}，未确认 {summaries[w].NotStored}，重传 {summaries[w].Retransmissions}");
            output.WriteLine($"SIGKILL {kills} 次，用时 {killingTime.TotalSeconds:0.0} 秒");

            server.Signal("TERM");
            await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.True(kills >= minimumKills, $"only {kills} kills");
            Assert.All(notAcknowledged, list => Assert.Empty(list));
            var lines = File.ReadAllLines(Path.Combine(data, JournalStore.FileName));
            var records = lines.Select((line, i) => JournalLine.TryParse(System.Text.Encoding.UTF8.GetBytes(line))
                ?? throw new Xunit.Sdk.XunitException($"line {i + 1} does not parse: {line}")).ToList();
            Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (ulong)i), records.Select(r => r.Seq));
            // No retried note was stored twice.
            Assert.Equal(records.Count, records.Select(r => r.Text).Distinct().Count());
            for (var w = 0; w < writers; w++)
            {
                var stored = records.Where(r => r.Client == $"崩溃写手{w}").Select(r => r.Text).ToList();
                // Every acknowledged note is there exactly once, and in the order the writer sent them.
                Assert.Equal(acknowledged[w], stored);
                Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => Text(w, i)), stored);
                Assert.Equal(summaries[w].Sent, stored.Count);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await server.DisposeAsync();
        }
        Directory.Delete(data, recursive: true);
    }

    /// <summary>
    /// Notes until stopped (or the cap). The short pause every few notes only paces the writer so the journal stays a
    /// few MB; nothing waits on it for correctness.
    /// </summary>
    private static async IAsyncEnumerable<string> Notes(int writer, int max, [EnumeratorCancellation] CancellationToken stop = default)
    {
        for (var i = 1; i <= max && !stop.IsCancellationRequested; i++)
        {
            if (i % 4 == 0)
            {
                try { await Task.Delay(1, stop); } catch (OperationCanceledException) { yield break; }
            }
            yield return Text(writer, i);
        }
    }

    private static string Text(int writer, int i) => $"写手{writer} 崩溃测试 第{i}条 💥 {writer}-{i}";
}
