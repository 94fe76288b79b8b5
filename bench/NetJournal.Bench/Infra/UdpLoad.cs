using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetJournal.Bench.Data;

namespace NetJournal.Bench.Infra;

/// <summary>What some sender threads did: datagrams handed to the kernel, send errors, and the achieved rate.</summary>
internal sealed record SendResult(int Senders, double OfferedPerSecond, long Sent, long SendErrors, double Seconds, double SentPerSecond);

/// <summary>What the raw receiver counted.</summary>
internal sealed record ReceiveResult(long Datagrams, long Bytes, double Seconds, double DatagramsPerSecond, double BytesPerSecond);

/// <summary>
/// Fire-and-forget UDP load on 127.0.0.1: sender threads (each its own connected socket, so its own source port) sending
/// 100-byte UTF-8 notes, paced or as fast as they can; and the minimal receiver the raw limit is measured with.
/// </summary>
internal static class UdpLoad
{
    public const int NoteBytes = 100;
    private const int Bodies = 1024;

    /// <summary>
    /// Where a note's marker goes: "note @@TT.S.NNNNNNN " (TT trial, S sender, N counter) then corpus text to 100 bytes.
    /// The marker is not the first word, so a syslog parser that takes the first word as a tag still keeps it in the message.
    /// </summary>
    private const string MarkerTemplate = "note @@00.0.0000000 ";
    private const int TrialOffset = 7, SenderOffset = 10, CounterOffset = 12, CounterDigits = 7;

    private static readonly byte[][] BodyTemplates = MakeBodies();

    /// <summary>The marker of trial <paramref name="trial"/> as it appears in every note of it: "@@TT.".</summary>
    public static byte[] TrialMarker(int trial) => Encoding.ASCII.GetBytes($"@@{trial % 100:00}.");

    private static byte[][] MakeBodies()
    {
        var rng = new Random(4242);
        var prefix = Encoding.ASCII.GetByteCount(MarkerTemplate);
        var bodies = new byte[Bodies][];
        for (var i = 0; i < Bodies; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(MarkerTemplate + NoteCorpus.Text(rng, NoteBytes - prefix, withMarker: false));
            if (bytes.Length != NoteBytes) throw new InvalidOperationException($"note body of {bytes.Length} bytes");
            bodies[i] = bytes;
        }
        return bodies;
    }

    /// <summary>
    /// <paramref name="senders"/> threads send <paramref name="count"/> notes in all to <paramref name="target"/>, at
    /// <paramref name="perSecond"/> in all (0: as fast as they can), and stop at <paramref name="maxTime"/> whatever is left.
    /// Pacing sleeps 1 ms whenever a thread is ahead of schedule, so bursts are about a millisecond's worth.
    /// </summary>
    public static SendResult Send(IPEndPoint target, int trial, int senders, long count, double perSecond, TimeSpan maxTime, int datagramBytes = NoteBytes)
    {
        var sent = new long[senders];
        var errors = new long[senders];
        using var start = new Barrier(senders + 1);
        var threads = new Thread[senders];
        for (var s = 0; s < senders; s++)
        {
            var index = s;
            var mine = count / senders + (s < count % senders ? 1 : 0);
            threads[s] = new Thread(() => SendLoop(target, trial, index, mine, perSecond / senders, maxTime, datagramBytes, start, out sent[index], out errors[index]))
            { IsBackground = true, Name = $"bench-sender-{s}" };
            threads[s].Start();
        }
        start.SignalAndWait();
        var watch = Stopwatch.StartNew();
        foreach (var t in threads) t.Join();
        var seconds = watch.Elapsed.TotalSeconds;
        var total = sent.Sum();
        return new SendResult(senders, perSecond, total, errors.Sum(), seconds, total / seconds);
    }

    private static void SendLoop(IPEndPoint target, int trial, int sender, long count, double perSecond, TimeSpan maxTime, int datagramBytes,
        Barrier start, out long sent, out long errors)
    {
        sent = 0;
        errors = 0;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(target);
        var buffer = new byte[datagramBytes];
        if (datagramBytes > NoteBytes) Array.Fill(buffer, (byte)'x');
        start.SignalAndWait();
        var watch = Stopwatch.StartNew();
        var deadline = maxTime.TotalSeconds;
        while (sent < count)
        {
            var elapsed = watch.Elapsed.TotalSeconds;
            if (elapsed > deadline) break;
            var due = perSecond > 0 ? Math.Min(count, (long)(elapsed * perSecond) + 1) : count;
            if (sent >= due)
            {
                Thread.Sleep(1);
                continue;
            }
            // At most 256 before looking at the clock again.
            for (var burst = 0; burst < 256 && sent < due; burst++)
            {
                Fill(buffer, trial, sender, sent);
                try
                {
                    socket.Send(buffer);
                }
                catch (SocketException)
                {
                    errors++;
                }
                sent++;
            }
        }
    }

    private static void Fill(byte[] buffer, int trial, int sender, long counter)
    {
        BodyTemplates[counter % Bodies].AsSpan(0, Math.Min(NoteBytes, buffer.Length)).CopyTo(buffer);
        buffer[TrialOffset] = (byte)('0' + trial / 10 % 10);
        buffer[TrialOffset + 1] = (byte)('0' + trial % 10);
        buffer[SenderOffset] = (byte)('0' + sender % 10);
        var n = counter;
        for (var i = CounterOffset + CounterDigits - 1; i >= CounterOffset; i--)
        {
            buffer[i] = (byte)('0' + n % 10);
            n /= 10;
        }
    }

    /// <summary>
    /// The minimal .NET receiver: a socket on 127.0.0.1 with SO_RCVBUF asked at 4 MiB, and a dedicated thread counting
    /// datagrams with the synchronous ReceiveFrom(Span, SocketFlags, SocketAddress), which allocates nothing per datagram.
    /// </summary>
    public sealed class RawReceiver : IDisposable
    {
        public const int RequestedBuffer = 4 * 1024 * 1024;
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Thread _thread;
        private volatile bool _stopping;
        private long _datagrams, _bytes, _first, _last;

        public RawReceiver()
        {
            _socket.ReceiveBufferSize = RequestedBuffer;
            GrantedBuffer = _socket.ReceiveBufferSize;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _socket.ReceiveTimeout = 200;
            EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _thread = new Thread(Loop) { IsBackground = true, Name = "bench-raw-receiver" };
            _thread.Start();
        }

        public IPEndPoint EndPoint { get; }

        /// <summary>SO_RCVBUF as getsockopt reports it after asking for 4 MiB (Linux reports twice what it reserves for data, capped by net.core.rmem_max).</summary>
        public int GrantedBuffer { get; }

        public void Reset()
        {
            Interlocked.Exchange(ref _datagrams, 0);
            Interlocked.Exchange(ref _bytes, 0);
            Interlocked.Exchange(ref _first, 0);
            Interlocked.Exchange(ref _last, 0);
        }

        /// <summary>Waits until nothing arrived for 300 ms (at most 5 s), then returns what was counted since Reset.</summary>
        public ReceiveResult Collect()
        {
            var watch = Stopwatch.StartNew();
            var before = Interlocked.Read(ref _datagrams);
            while (watch.Elapsed < TimeSpan.FromSeconds(5))
            {
                Thread.Sleep(300);
                var now = Interlocked.Read(ref _datagrams);
                if (now == before) break;
                before = now;
            }
            var datagrams = Interlocked.Read(ref _datagrams);
            var bytes = Interlocked.Read(ref _bytes);
            var seconds = datagrams > 1 ? Stopwatch.GetElapsedTime(Interlocked.Read(ref _first), Interlocked.Read(ref _last)).TotalSeconds : double.NaN;
            return new ReceiveResult(datagrams, bytes, seconds, datagrams / seconds, bytes / seconds);
        }

        private void Loop()
        {
            var buffer = new byte[65_536];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!_stopping)
            {
                int n;
                try
                {
                    n = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException)
                {
                    continue; // the 200 ms timeout: look at _stopping again
                }
                var now = Stopwatch.GetTimestamp();
                if (Interlocked.Read(ref _first) == 0) Interlocked.Exchange(ref _first, now);
                Interlocked.Exchange(ref _last, now);
                Interlocked.Increment(ref _datagrams);
                Interlocked.Add(ref _bytes, n);
            }
        }

        public void Dispose()
        {
            _stopping = true;
            _thread.Join(TimeSpan.FromSeconds(2));
            _socket.Dispose();
        }
    }
}
