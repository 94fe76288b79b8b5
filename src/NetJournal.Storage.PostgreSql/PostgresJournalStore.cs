using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;
using NetJournal.Protocol;
using Npgsql;
using NpgsqlTypes;

namespace NetJournal.Storage.PostgreSql;

/// <summary>
/// The journal in PostgreSQL, shared by every server that opens it: the server becomes a stateless front end. One
/// group commit is one transaction of many notes. It first locks the one counter row, so commits from all servers
/// follow one another: each takes the seqs after the last one committed (gap-free, in commit order) and reads the
/// settled number of each client instance in the batch from the database, so <see cref="DeliveryOrder"/> decides
/// with what every server has stored. Acknowledged only after COMMIT returns (synchronous_commit on). Queries run on
/// pooled connections of their own. See docs/postgresql.md.
/// </summary>
/// <remarks>
/// Two round trips per batch: BEGIN with the counter lock and the instances' numbers, then the inserts, the counter's
/// update, a NOTIFY (the wake-up of <see cref="Follow"/>) and COMMIT. When the database cannot be reached the batch's new
/// notes are answered <see cref="ErrorCode.StoreUnavailable"/>, "not yet" (nothing remembered: the client sends them again); when the connection breaks during COMMIT they may be
/// stored or not (<see cref="ErrorCode.StoreOutcomeUnknown"/>), never twice: the unique (instance, number) keeps a copy out.
/// </remarks>
public sealed partial class PostgresJournalStore : IJournalStore, ISharedJournal
{
    /// <summary>The NOTIFY channel a commit wakes followers on; the payload is the last seq committed.</summary>
    public const string Channel = "netjournal_commits";

    private readonly NpgsqlDataSource _source;
    private readonly PostgresLocation _location;
    private readonly TimeProvider _time;
    private readonly DeliveryOrder _order;
    private NpgsqlConnection? _commitConnection;
    private ulong _lastSeq;
    private int _clientCount;

    // The batch's columns, reused from batch to batch (the commit thread owns them).
    private readonly List<long> _seqs = [], _instances = [], _numbers = [];
    private readonly List<string> _clients = [], _addresses = [], _hosts = [], _texts = [];
    private readonly List<short> _origins = [];
    private readonly List<short?> _priorities = [];
    private readonly Dictionary<ulong, ulong> _settled = [];
    private readonly Dictionary<string, ClientBatch> _clientTotals = new(StringComparer.Ordinal);
    private readonly List<long> _askInstances = [];

    private sealed class ClientBatch
    {
        public long FirstSeq;
        public long Notes;
        public string LastAddress = "";
    }

    private PostgresJournalStore(PostgresLocation location, NpgsqlDataSource source, TimeProvider time, int maxDedupInstances)
    {
        _location = location;
        _source = source;
        _time = time;
        _order = new DeliveryOrder(maxDedupInstances);
        Recovery = null!;
    }

    /// <summary>
    /// Connects, creates the journal's tables if the database has none (<see cref="PostgresSchema"/>), and reads the last seq.
    /// </summary>
    /// <exception cref="IOException">The database cannot be reached or refuses the login; one line that says why.</exception>
    /// <exception cref="InvalidOperationException">The journal's schema is of another version.</exception>
    public static PostgresJournalStore Open(PostgresLocation location, TimeProvider? time = null, int maxDedupInstances = 100_000)
    {
        var watch = Stopwatch.StartNew();
        var builder = new NpgsqlDataSourceBuilder(location.Builder.ConnectionString);
        var source = builder.Build();
        var store = new PostgresJournalStore(location, source, time ?? TimeProvider.System, maxDedupInstances);
        try
        {
            bool created;
            using (var connection = store.Connect())
                created = PostgresSchema.Ensure(connection, create: true);
            store.Refresh();
            store.Recovery = new RecoveryReport(location.Display, created, store.NoteCount, 0, 0, [], watch.Elapsed);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Where the journal lives, without the password.</summary>
    public string Display => _location.Display;

    public RecoveryReport Recovery { get; private set; }

    /// <summary>The highest seq this server has seen committed (its own commits, queries and the follow feed raise it).</summary>
    public ulong LastSeq => Volatile.Read(ref _lastSeq);

    /// <summary>Seqs are gap-free from 1: the number of notes is the last seq.</summary>
    public int NoteCount => (int)Math.Min(LastSeq, int.MaxValue);

    /// <summary>Read from the database on each call (any thread).</summary>
    /// <exception cref="IOException">The database cannot be reached.</exception>
    public int ClientCount
    {
        get
        {
            Refresh();
            return Volatile.Read(ref _clientCount);
        }
    }

    /// <summary>The text as UTF-8, as the memory store takes it (<see cref="MemoryNoteEncoder"/>).</summary>
    public IPendingNoteEncoder NoteEncoder => MemoryNoteEncoder.Instance;

    public long LastCommitTimeMs { get; private set; }

    public bool SupportsWirePages => false;

    /// <summary>Opens a connection from the pool, turning "cannot reach" into an IOException that names the database.</summary>
    /// <exception cref="IOException">The database cannot be reached or refuses the login.</exception>
    internal NpgsqlConnection Connect()
    {
        try
        {
            return _source.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Unreachable(e);
        }
    }

    internal IOException Unreachable(Exception e) => new($"cannot use the PostgreSQL journal {Display}: {Reason(e)}", e);

    /// <summary>The cause of a database failure, in one line.</summary>
    internal static string Reason(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not PostgresException) inner = inner.InnerException;
        return (inner is PostgresException p ? $"{p.MessageText} ({p.SqlState})" : inner.Message).ReplaceLineEndings(" ");
    }

    /// <summary>Reads the last seq and the number of clients (any thread).</summary>
    private void Refresh()
    {
        using var connection = Connect();
        using var command = new NpgsqlCommand("SELECT last_seq, (SELECT count(*) FROM netjournal.clients) FROM netjournal.counter", connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        Seen((ulong)reader.GetInt64(0));
        Volatile.Write(ref _clientCount, (int)reader.GetInt64(1));
    }

    /// <summary>Raises <see cref="LastSeq"/> to a seq known to be committed.</summary>
    private void Seen(ulong seq)
    {
        var last = Volatile.Read(ref _lastSeq);
        while (seq > last)
        {
            var was = Interlocked.CompareExchange(ref _lastSeq, seq, last);
            if (was == last) return;
            last = was;
        }
    }

    public JournalWriteException? Commit(IReadOnlyList<PendingNote> batch, Span<NoteResult> results)
    {
        _askInstances.Clear();
        foreach (var note in batch)
            if (note.Instance != 0 && note.Refusal == ErrorCode.None) _askInstances.Add(unchecked((long)note.Instance));
        NpgsqlConnection connection;
        ulong lastSeq;
        long lastTimeMs;
        try
        {
            connection = _commitConnection ??= Connect();
            (lastSeq, lastTimeMs) = BeginBatch(connection);
        }
        catch (Exception e) when (e is IOException or NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return Refuse(batch, results, e);
        }
        Seen(lastSeq);
        var now = Math.Max(lastTimeMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _order.Begin();
        ClearColumns();
        var seq = lastSeq;
        for (var i = 0; i < batch.Count; i++)
        {
            var n = batch[i];
            if (n.Instance != 0 && !_settled.ContainsKey(n.Instance)) _settled[n.Instance] = n.Base == 0 ? 0 : n.Base - 1;
            if (!_order.Admit(n, seq + 1, out results[i]))
            {
                // A refusal in its number's turn settles the number, as the order decided.
                if (n.Instance != 0 && n.Refusal != ErrorCode.None && n.Number == _settled[n.Instance] + 1) _settled[n.Instance] = n.Number;
                continue;
            }
            seq++;
            AddRow(n, seq);
        }
        // A copy of a note whose commit's outcome was unknown gets the answer its first copy got.
        RecodeCopies(batch, results);
        try
        {
            FinishBatch(connection, seq, now);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
        {
            // A reply from the server (PostgresException) means the transaction did not commit; a broken connection
            // leaves it unknown.
            DropConnection();
            if (e is PostgresException)
                _order.Abandon(results[..batch.Count], lastSeq, ErrorCode.StoreUnavailable);
            else
            {
                _order.Fail(batch, results, lastSeq);
                Recode(batch, results, ErrorCode.StoreOutcomeUnknown);
            }
            return new JournalWriteException(Unreachable(e).Message, e);
        }
        _order.Commit();
        if (seq > lastSeq)
        {
            LastCommitTimeMs = now;
            Seen(seq);
        }
        return null;
    }

    /// <summary>BEGIN, the counter's row locked (commits from every server queue here), and the batch's instances' settled numbers.</summary>
    private (ulong LastSeq, long LastTimeMs) BeginBatch(NpgsqlConnection connection)
    {
        using var begin = new NpgsqlBatch(connection);
        begin.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        begin.BatchCommands.Add(new NpgsqlBatchCommand("SELECT last_seq, last_time_ms FROM netjournal.counter WHERE id = 1 FOR UPDATE"));
        var instances = new NpgsqlBatchCommand("SELECT instance, settled FROM netjournal.instances WHERE instance = ANY($1)");
        instances.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _askInstances.Distinct()] });
        begin.BatchCommands.Add(instances);
        using var reader = begin.ExecuteReader();
        reader.Read();
        var result = ((ulong)reader.GetInt64(0), reader.GetInt64(1));
        reader.NextResult();
        _settled.Clear();
        while (reader.Read())
        {
            var instance = unchecked((ulong)reader.GetInt64(0));
            var settled = (ulong)reader.GetInt64(1);
            _order.Settled(instance, settled);
            _settled[instance] = settled;
        }
        return result;
    }

    private void ClearColumns()
    {
        _seqs.Clear(); _instances.Clear(); _numbers.Clear();
        _clients.Clear(); _addresses.Clear(); _hosts.Clear(); _texts.Clear();
        _origins.Clear(); _priorities.Clear();
        _clientTotals.Clear();
    }

    private void AddRow(in PendingNote n, ulong seq)
    {
        var text = n.Text ?? (n.Tail.IsEmpty ? throw new ArgumentException("a note without a tail needs its text", nameof(n)) : Encoding.UTF8.GetString(n.Tail.Span));
        _seqs.Add((long)seq);
        _clients.Add(n.Client);
        _addresses.Add(n.Address);
        _hosts.Add(HostOf(n.Address));
        _texts.Add(text);
        _origins.Add((short)n.Origin);
        _priorities.Add(n.Priority);
        _instances.Add(unchecked((long)n.Instance));
        _numbers.Add(unchecked((long)n.Number));
        if (n.Instance != 0) _settled[n.Instance] = n.Number;
        if (!_clientTotals.TryGetValue(n.Client, out var totals)) _clientTotals[n.Client] = totals = new ClientBatch { FirstSeq = (long)seq };
        totals.Notes++;
        totals.LastAddress = n.Address;
    }

    /// <summary>The notes, the instances' numbers, the clients' totals, the counter, the wake-up, and COMMIT: one round trip.</summary>
    private void FinishBatch(NpgsqlConnection connection, ulong lastSeq, long now)
    {
        using var finish = new NpgsqlBatch(connection);
        if (_seqs.Count > 0)
        {
            var notes = new NpgsqlBatchCommand("""
                INSERT INTO netjournal.notes (seq, time_ms, client, address, host, text, origin, priority, instance, number)
                SELECT s, $2, c, a, h, t, o, p, i, n FROM unnest($1::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::smallint[], $9::bigint[], $10::bigint[]) AS u(s, c, a, h, t, o, p, i, n)
                """);
            notes.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = _seqs });
            notes.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
            notes.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = _clients });
            notes.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = _addresses });
            notes.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = _hosts });
            notes.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = _texts });
            notes.Parameters.Add(new NpgsqlParameter<List<short>> { TypedValue = _origins });
            notes.Parameters.Add(new NpgsqlParameter<List<short?>> { TypedValue = _priorities });
            notes.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = _instances });
            notes.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = _numbers });
            finish.BatchCommands.Add(notes);

            var clients = new NpgsqlBatchCommand("""
                INSERT INTO netjournal.clients AS c (name, first_seq, first_ms, last_ms, last_address, notes)
                SELECT n, f, $4, $4, a, k FROM unnest($1::text[], $2::bigint[], $3::text[], $5::bigint[]) AS u(n, f, a, k)
                ON CONFLICT (name) DO UPDATE SET last_ms = excluded.last_ms, last_address = excluded.last_address, notes = c.notes + excluded.notes
                """);
            clients.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _clientTotals.Keys] });
            clients.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _clientTotals.Values.Select(t => t.FirstSeq)] });
            clients.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _clientTotals.Values.Select(t => t.LastAddress)] });
            clients.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
            clients.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _clientTotals.Values.Select(t => t.Notes)] });
            finish.BatchCommands.Add(clients);

            var counter = new NpgsqlBatchCommand("UPDATE netjournal.counter SET last_seq = $1, last_time_ms = $2 WHERE id = 1");
            counter.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)lastSeq });
            counter.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
            finish.BatchCommands.Add(counter);

            var wake = new NpgsqlBatchCommand($"SELECT pg_notify('{Channel}', $1)");
            wake.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lastSeq.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            finish.BatchCommands.Add(wake);
        }
        if (_settled.Count > 0)
        {
            var instances = new NpgsqlBatchCommand("""
                INSERT INTO netjournal.instances AS i (instance, settled) SELECT * FROM unnest($1::bigint[], $2::bigint[])
                ON CONFLICT (instance) DO UPDATE SET settled = greatest(i.settled, excluded.settled)
                """);
            instances.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _settled.Keys.Select(k => unchecked((long)k))] });
            instances.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. _settled.Values.Select(v => unchecked((long)v))] });
            finish.BatchCommands.Add(instances);
        }
        finish.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        finish.ExecuteNonQuery();
    }

    /// <summary>
    /// Every new note of the batch answered StoreUnavailable: the database was not reached, nothing was stored. "Not
    /// yet", not a final answer: nothing is settled or remembered, so the client's next copy is admitted afresh (and
    /// stored once the database is back, here or through another server). Other answers (duplicates the order knows,
    /// refusals, Deferred) stand.
    /// </summary>
    private JournalWriteException Refuse(IReadOnlyList<PendingNote> batch, Span<NoteResult> results, Exception e)
    {
        DropConnection();
        var last = LastSeq;
        _order.Begin();
        var seq = last;
        for (var i = 0; i < batch.Count; i++)
            if (_order.Admit(batch[i], seq + 1, out results[i])) seq++;
        _order.Abandon(results[..batch.Count], last, ErrorCode.StoreUnavailable);
        RecodeCopies(batch, results);
        return new JournalWriteException(e is IOException ? e.Message : Unreachable(e).Message, e);
    }

    /// <summary>
    /// The order's StorageFailed becomes StoreOutcomeUnknown, remembered per number so later copies get the same answer
    /// (a final one: the note may be in the journal). StoreUnavailable is never remembered (<see cref="Refuse"/>).
    /// </summary>
    private void Recode(IReadOnlyList<PendingNote> batch, Span<NoteResult> results, ErrorCode code)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i].Status != NoteStatus.Rejected || results[i].Error != ErrorCode.StorageFailed) continue;
            results[i] = NoteResult.Rejected(code);
            if (batch[i].Instance == 0) continue;
            if (_refusals.Count >= MaxRefusals) _refusals.Clear();
            _refusals[(batch[i].Instance, batch[i].Number)] = code;
        }
    }

    private void RecodeCopies(IReadOnlyList<PendingNote> batch, Span<NoteResult> results)
    {
        for (var i = 0; i < batch.Count; i++)
            if (results[i].Status == NoteStatus.Rejected && results[i].Error == ErrorCode.StorageFailed)
                results[i] = NoteResult.Rejected(_refusals.GetValueOrDefault((batch[i].Instance, batch[i].Number), ErrorCode.StoreOutcomeUnknown));
    }

    private const int MaxRefusals = 100_000;
    private readonly Dictionary<(ulong Instance, ulong Number), ErrorCode> _refusals = [];

    private void DropConnection()
    {
        try
        {
            _commitConnection?.Dispose();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
        }
        _commitConnection = null;
    }

    /// <summary>The host part of an address, as the history's address filter compares it: an IP in its canonical text.</summary>
    internal static string HostOf(string address)
    {
        string host;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            host = close > 0 ? address[1..close] : address;
        }
        else
        {
            var colon = address.LastIndexOf(':');
            host = colon > 0 && address.IndexOf(':') == colon ? address[..colon] : address;
        }
        return IPAddress.TryParse(host, out var ip) ? ip.ToString() : host.ToLowerInvariant();
    }

    public void Dispose()
    {
        DropConnection();
        _source.Dispose();
    }
}
