using System.Buffers;
using System.Net;
using System.Text;
using NetJournal.Protocol;
using Npgsql;

namespace NetJournal.Storage.PostgreSql;

// Count, history pages and the clients list, each one statement (one snapshot) on a pooled connection. Every note with
// seq up to the counter's last_seq is committed, so a page never skips one that commits late.
public sealed partial class PostgresJournalStore
{
    private const string NoteColumns = "seq, time_ms, client, address, text, origin, priority";

    /// <exception cref="IOException">The database cannot be reached.</exception>
    public CountResult Count(HistoryFilter filter, ulong lastN)
    {
        try
        {
            using var connection = Connect();
            using var command = new NpgsqlCommand { Connection = connection };
            var where = Where(filter, command);
            var onlyClient = filter.Client is not null && filter.Address is null && filter.SinceMs is null && filter.UntilMs is null && string.IsNullOrEmpty(filter.Grep);
            // Without a filter the count is the last seq (gap-free); for one client it is the clients row's total: no scan.
            var everything = (filter with { Grep = string.IsNullOrEmpty(filter.Grep) ? null : filter.Grep }).IsEmpty;
            var matched = everything ? "c.last_seq"
                : onlyClient ? "coalesce((SELECT notes FROM netjournal.clients WHERE name = @client), 0)"
                : $"(SELECT count(*) FROM netjournal.notes WHERE {where} AND seq <= c.last_seq)";
            // "The last N" starts at the N+1-th match from the end; all of them start after the first seq of the time range.
            var cursor = lastN == 0 ? (filter.SinceMs is null ? "0" : "(SELECT netjournal.seq_at_time(@since)) - 1")
                : $"coalesce((SELECT seq FROM netjournal.notes WHERE {where} AND seq <= c.last_seq ORDER BY seq DESC OFFSET @lastN LIMIT 1), 0)";
            command.CommandText = $"SELECT c.last_seq, {matched}, {cursor} FROM netjournal.counter c WHERE c.id = 1";
            if (lastN != 0) command.Parameters.AddWithValue("lastN", (long)Math.Min(lastN, long.MaxValue));
            using var reader = command.ExecuteReader();
            reader.Read();
            var last = (ulong)reader.GetInt64(0);
            Seen(last);
            var count = (ulong)reader.GetInt64(1);
            // Nothing matches: the cursor is the end, as the file store gives it, so no page is asked for.
            return new CountResult(count, count == 0 ? last : (ulong)reader.GetInt64(2), last, last);
        }
        catch (NpgsqlException e)
        {
            throw Unreachable(e);
        }
    }

    /// <summary>
    /// Notes with afterSeq &lt; seq &lt;= untilSeq (0 = no bound) that match, while they fit in maxBytes; at most maxScan
    /// seqs are looked at (seqs are gap-free, so that is a seq range the indexes bound).
    /// </summary>
    /// <exception cref="IOException">The database cannot be reached.</exception>
    public PageResult ReadPage(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, int maxScan = 200_000)
    {
        try
        {
            using var connection = Connect();
            ulong last;
            using (var counter = new NpgsqlCommand("SELECT last_seq FROM netjournal.counter WHERE id = 1", connection))
                last = (ulong)(long)counter.ExecuteScalar()!;
            Seen(last);
            var end = untilSeq == 0 ? last : Math.Min(untilSeq, last);
            var bound = Math.Min(end, afterSeq + (ulong)Math.Max(1, maxScan));
            var notes = new List<Note>();
            if (bound <= afterSeq) return new PageResult(notes, untilSeq != 0 ? Math.Max(afterSeq, end) : afterSeq, true);
            using var command = new NpgsqlCommand { Connection = connection };
            var where = Where(filter, command);
            // Enough rows to fill the page with the smallest notes; the page stops earlier when they are larger.
            var limit = maxBytes / MinNoteSize + 1;
            command.CommandText = $"SELECT {NoteColumns} FROM netjournal.notes WHERE seq > @after AND seq <= @bound AND {where} ORDER BY seq LIMIT {limit}";
            command.Parameters.AddWithValue("after", (long)afterSeq);
            command.Parameters.AddWithValue("bound", (long)bound);
            var used = 0;
            var rows = 0;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows++;
                var note = ReadNote(reader);
                var size = MessageCodec.NoteSize(note);
                if (notes.Count > 0 && used + size > maxBytes) return new PageResult(notes, notes[^1].Seq, false);
                notes.Add(note);
                used += size;
            }
            if (rows == limit) return new PageResult(notes, notes[^1].Seq, false);
            return new PageResult(notes, bound, bound == end);
        }
        catch (NpgsqlException e)
        {
            throw Unreachable(e);
        }
    }

    // The wire size of a note with empty strings: no page holds more notes than maxBytes over it.
    private static readonly int MinNoteSize = MessageCodec.NoteSize(new Note(1, 0, "", "", ""));

    /// <exception cref="NotSupportedException">Always: pages are made from notes (<see cref="SupportsWirePages"/> is false).</exception>
    public WirePageResult ReadPageWire(HistoryFilter filter, ulong afterSeq, ulong untilSeq, int maxBytes, IBufferWriter<byte> output, int maxScan = 200_000) =>
        throw new NotSupportedException("the PostgreSQL journal makes pages with ReadPage");

    /// <exception cref="IOException">The database cannot be reached.</exception>
    public IReadOnlyList<ClientSummary> Clients(int start = 0)
    {
        try
        {
            using var connection = Connect();
            using var command = new NpgsqlCommand(
                "SELECT name, last_address, notes, first_ms, last_ms FROM netjournal.clients ORDER BY first_seq OFFSET @start", connection);
            command.Parameters.AddWithValue("start", (long)start);
            using var reader = command.ExecuteReader();
            var clients = new List<ClientSummary>();
            while (reader.Read()) clients.Add(new ClientSummary(reader.GetString(0), reader.GetString(1), (ulong)reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
            Volatile.Write(ref _clientCount, start + clients.Count);
            return clients;
        }
        catch (NpgsqlException e)
        {
            throw Unreachable(e);
        }
    }

    internal static Note ReadNote(NpgsqlDataReader reader) => new(
        (ulong)reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        (NoteOrigin)reader.GetInt16(5), reader.IsDBNull(6) ? null : (byte)reader.GetInt16(6));

    /// <summary>
    /// The filter as a WHERE condition with its parameters added to <paramref name="command"/>: client by name, address
    /// as the file store matches it ("IP" any port, "IP:port" exactly), time as [since, until) (and as the seq range it
    /// is), grep as a case-insensitive substring (ILIKE with its wildcards escaped).
    /// </summary>
    private static string Where(HistoryFilter filter, NpgsqlCommand command)
    {
        var parts = new List<string> { "true" };
        if (filter.Client is { } client)
        {
            parts.Add("client = @client");
            command.Parameters.AddWithValue("client", client);
        }
        if (filter.Address is { } address)
        {
            var trimmed = address.Trim('[', ']');
            var host = IPAddress.TryParse(trimmed, out var ip) ? ip.ToString() : trimmed.ToLowerInvariant();
            // Every match has the filter's host, so (host, seq) finds them; "IP" alone is only that (an index-only count),
            // "IP:port" is that and the whole address.
            command.Parameters.AddWithValue("host", HostOf(address));
            if (HostOf(address) == host) parts.Add("host = @host");
            else
            {
                parts.Add("host = @host AND lower(address) = @address");
                command.Parameters.AddWithValue("address", address.ToLowerInvariant());
            }
        }
        if (filter.SinceMs is { } since)
        {
            // Time never decreases with seq: the range is a seq range (netjournal.seq_at_time), which the primary key bounds.
            parts.Add("time_ms >= @since AND seq >= (SELECT netjournal.seq_at_time(@since))");
            command.Parameters.AddWithValue("since", since);
        }
        if (filter.UntilMs is { } until)
        {
            parts.Add("time_ms < @until AND seq < (SELECT netjournal.seq_at_time(@until))");
            command.Parameters.AddWithValue("until", until);
        }
        if (!string.IsNullOrEmpty(filter.Grep))
        {
            parts.Add("text ILIKE @grep ESCAPE '\\'");
            command.Parameters.AddWithValue("grep", "%" + EscapeLike(filter.Grep) + "%");
        }
        return string.Join(" AND ", parts);
    }

    private static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
