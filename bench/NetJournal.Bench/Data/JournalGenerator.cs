using System.Buffers;
using System.Diagnostics;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Bench.Data;

internal sealed record GeneratedJournal(string Path, long Notes, long Bytes, long WithDedupFields, long GrepMatches, double Seconds);

/// <summary>Writes a journal file directly, line by line with <see cref="JournalLine.Write"/>, through one buffered stream.</summary>
internal static class JournalGenerator
{
    private sealed class Sender
    {
        public ulong Instance;
        public ulong Number;
        public string Address = "";
    }

    /// <summary>
    /// Writes a journal of <paramref name="notes"/> notes (seq 1..N) into <paramref name="directory"/>, each text between
    /// <paramref name="minTextBytes"/> and <paramref name="maxTextBytes"/> UTF-8 bytes (80–120 by default).
    /// </summary>
    public static GeneratedJournal Write(string directory, long notes, int seed = 20250301, int minTextBytes = 80, int maxTextBytes = 120)
    {
        var watch = Stopwatch.StartNew();
        var path = Path.Combine(directory, JournalStore.FileName);
        var rng = new Random(seed);
        var names = NoteCorpus.ClientNames;
        var senders = new Sender[names.Count];
        for (var i = 0; i < senders.Length; i++)
        {
            senders[i] = new Sender();
            NewInstance(senders[i], i, rng);
        }
        var timeMs = DateTimeOffset.Parse("2025-03-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        long withDedup = 0, grep = 0;
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
        {
            for (ulong seq = 1; seq <= (ulong)notes; seq++)
            {
                var client = rng.Next(names.Count);
                var sender = senders[client];
                timeMs += rng.Next(0, 2500);
                var marker = rng.NextDouble() < NoteCorpus.GrepShare;
                var text = NoteCorpus.Text(rng, rng.Next(minTextBytes, maxTextBytes + 1), marker);
                if (marker) grep++;
                JournalRecord record;
                if (client < NoteCorpus.NativeClients)
                {
                    // A person's netjournal client: numbered notes; now and then it restarts as a new instance from a new port.
                    if (rng.Next(5000) == 0) NewInstance(sender, client, rng);
                    record = new JournalRecord(seq, timeMs, names[client], sender.Address, text, NoteOrigin.Native, null, sender.Instance, ++sender.Number);
                    withDedup++;
                }
                else if (client % 2 == 0)
                {
                    // syslog: facility user/daemon/local0, severity err..info.
                    var facility = new[] { 1, 3, 16 }[rng.Next(3)];
                    record = new JournalRecord(seq, timeMs, names[client], sender.Address, text, NoteOrigin.Syslog, (byte)(facility * 8 + rng.Next(3, 7)));
                }
                else
                {
                    record = new JournalRecord(seq, timeMs, names[client], sender.Address, text, NoteOrigin.PlainText);
                }
                JournalLine.Write(record, buffer);
                if (buffer.WrittenCount > (1 << 20) - 8192)
                {
                    stream.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }
            stream.Write(buffer.WrittenSpan);
            stream.Flush(flushToDisk: true);
        }
        return new GeneratedJournal(path, notes, new FileInfo(path).Length, withDedup, grep, watch.Elapsed.TotalSeconds);
    }

    private static void NewInstance(Sender sender, int client, Random rng)
    {
        sender.Instance = (ulong)rng.NextInt64() | 1;
        sender.Number = 0;
        // People's clients send from an ephemeral port; syslog daemons from 514.
        var port = client < NoteCorpus.NativeClients ? rng.Next(32768, 61000) : 514;
        sender.Address = $"{NoteCorpus.HostOf(client)}:{port}";
    }
}
