using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.IntegrationTests;

[Collection(HeavyTests.Name)]
public sealed class FloodTests(ITestOutputHelper output)
{
    private const string FloodName = "洪水";
    private static readonly TimeSpan FloodTime = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task While_one_source_floods_as_fast_as_it_can_four_interactive_clients_get_every_note_acknowledged_and_memory_stays_bounded()
    {
        await using var server = TestServer.Start();
        var defaults = new JournalServerOptions();
        const int honestClients = 4;
        var clients = Enumerable.Range(1, honestClients).Select(c => server.Client($"诚实{c}")).ToArray();
        try
        {
            foreach (var client in clients) Assert.True((await client.WriteAsync("warm-up 预热")).IsStored);
            using var me = Process.GetCurrentProcess();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            me.Refresh();
            var workingSetBefore = me.WorkingSet64;
            var counters = server.Server.Counters;
            var datagramsBefore = counters.Datagrams;

            using var stop = new CancellationTokenSource();
            var flood = Task.Factory.StartNew(() => Flood(server.EndPoint, FloodTime, 50_000_000), TaskCreationOptions.LongRunning);
            var peakHeap = heapBefore;
            var peakWorkingSet = workingSetBefore;
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                    me.Refresh();
                    peakWorkingSet = Math.Max(peakWorkingSet, me.WorkingSet64);
                    try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
                }
            });
            // Let the flooder use up its burst first, so the honest notes meet the limited flood.
            await Task.Delay(300);
            var honest = clients.Select((client, c) => Task.Run(async () =>
            {
                var results = new List<(string Text, NoteOutcome Outcome, double Millis)>();
                for (var i = 1; !flood.IsCompleted; i++)
                {
                    var text = $"诚实{c + 1} 第{i}条 ✍ {c + 1}-{i}";
                    var watch = Stopwatch.StartNew();
                    var outcome = await client.WriteAsync(text);
                    results.Add((text, outcome, watch.Elapsed.TotalMilliseconds));
                    // A person types: a short pause between notes, so the four together stay far below the limit.
                    await Task.Delay(5);
                }
                return results;
            })).ToArray();
            var (sent, sendErrors, elapsed) = await flood.WaitAsync(FloodTime * 3);
            var notes = (await Task.WhenAll(honest).WaitAsync(TimeSpan.FromSeconds(30))).SelectMany(r => r).ToList();
            await stop.CancelAsync();
            await sampler;
            me.Refresh();

            var honestDatagrams = notes.Count + clients.Sum(c => c.Retransmissions);
            var reached = counters.Datagrams - datagramsBefore + counters.RateLimited - honestDatagrams;
            var accepted = reached - counters.RateLimited;
            var latencies = notes.Select(n => n.Millis).Order().ToArray();
            output.WriteLine($"flood: {sent:N0} datagrams in {elapsed.TotalSeconds:0.00} s offered = {sent / elapsed.TotalSeconds:N0}/s " +
                $"(send errors {sendErrors:N0}); reached the server {reached / elapsed.TotalSeconds:N0}/s; rate-limited {counters.RateLimited:N0}; " +
                $"accepted {accepted:N0} = {accepted / elapsed.TotalSeconds:N0}/s (limit {defaults.RateLimitPerSource}/s, burst {defaults.RateLimitBurst})");
            output.WriteLine($"honest: {honestClients} clients, {notes.Count:N0} notes one at a time, acknowledgement median {Percentile(latencies, 0.5):0.000} ms, " +
                $"p99 {Percentile(latencies, 0.99):0.000} ms, max {latencies[^1]:0.000} ms, retransmissions {clients.Sum(c => c.Retransmissions)}");
            output.WriteLine($"memory: managed heap {Mib(heapBefore)} MiB before, peak {Mib(peakHeap)} MiB; working set {Mib(workingSetBefore)} MiB before, " +
                $"peak sampled {Mib(peakWorkingSet)} MiB, process peak (VmHWM) {Mib(me.PeakWorkingSet64)} MiB");
            output.WriteLine($"server counters: {counters}");

            Assert.All(notes, n => Assert.True(n.Outcome.IsStored, $"{n.Text}: {n.Outcome.Describe()}"));
            Assert.True(notes.Count >= honestClients * 10, $"only {notes.Count} honest notes");
            var journal = server.Server.Store.ReadPage(HistoryFilter.None, 0, 0, int.MaxValue).Notes;
            var stored = journal.Where(n => n.Client.StartsWith("诚实", StringComparison.Ordinal)).Select(n => n.Text).ToList();
            Assert.Equal(notes.Select(n => n.Text).Order(StringComparer.Ordinal), stored.Where(t => !t.StartsWith("warm-up", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.True(counters.RateLimited > 0, counters.ToString());
            // Whatever got through the limiter is the burst plus the rate over the flood, with a little slack for timing.
            Assert.InRange(accepted, 1, defaults.RateLimitBurst + (long)(defaults.RateLimitPerSource * (elapsed.TotalSeconds + 1)));
            Assert.InRange(peakHeap - heapBefore, long.MinValue, 200L << 20);
            Assert.InRange(peakWorkingSet - workingSetBefore, long.MinValue, 200L << 20);
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    /// <summary>
    /// One socket on 127.0.0.2 (so it is another source IP than the honest clients on 127.0.0.1) sending, as fast as one
    /// thread can, valid single-note appends in turn with garbage that has the magic and does not decode.
    /// </summary>
    private static (long Sent, long Errors, TimeSpan Elapsed) Flood(IPEndPoint server, TimeSpan duration, long maxDatagrams)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        socket.Connect(server);
        var body = new ReadOnlyMemory<byte>[] { Encoding.UTF8.GetBytes("洪水 flood 🌊") };
        byte[] garbage = [0xFE, (byte)'N', (byte)'J', 1, 1, 0, 0xFF, 0xFF, 0xFF];
        var buffer = new byte[1024];
        var instance = (ulong)Random.Shared.NextInt64() | 1;
        long sent = 0, errors = 0;
        ulong number = 0;
        var watch = Stopwatch.StartNew();
        while (sent < maxDatagrams && (sent % 1024 != 0 || watch.Elapsed < duration))
        {
            try
            {
                if (sent % 2 == 0)
                {
                    number++;
                    // Base = FirstNumber: every earlier number counts as settled, so whichever appends pass are stored at once.
                    var length = MessageCodec.Encode(new AppendRequest(instance, number, number, FloodName, body), buffer);
                    socket.Send(buffer.AsSpan(0, length));
                }
                else
                {
                    socket.Send(garbage);
                }
            }
            catch (SocketException)
            {
                errors++;
            }
            sent++;
        }
        return (sent, errors, watch.Elapsed);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
