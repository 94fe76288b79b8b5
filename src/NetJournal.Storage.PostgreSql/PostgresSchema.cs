using Npgsql;

namespace NetJournal.Storage.PostgreSql;

/// <summary>
/// The journal's tables in the schema <c>netjournal</c>, and their version (<c>netjournal.schema_version</c>). Version 2:
/// <list type="bullet">
/// <item><c>counter</c>: one row, the last seq and time given; every commit updates it in its own transaction, so
/// commits from all servers take seqs one after another, without gaps, in commit order (docs/postgresql.md).</item>
/// <item><c>notes</c>: one row per note, seq the primary key; (instance, number) unique where instance is not 0
/// (deduplication); indexes (client, seq) and (host, seq) for the history filters. No index on time_ms: time never runs
/// backwards as seq grows (each commit takes max(last time, now) under the counter's lock), so a time is found as a seq
/// by a binary search over the primary key, <c>netjournal.seq_at_time(t)</c>: the first seq whose time is at or after
/// t (last seq + 1 if none), about 24 lookups at 10 million notes. One index fewer to write per note.</item>
/// <item><c>instances</c>: per client instance, the highest number settled: the next one due comes from here, whichever server asks.</item>
/// <item><c>clients</c>: per client name, its totals for <c>netjournal clients</c>, kept up to date by each commit.</item>
/// </list>
/// </summary>
public static class PostgresSchema
{
    /// <summary>The version this build writes and reads.</summary>
    public const int Version = 2;

    private const string Create = """
        CREATE SCHEMA IF NOT EXISTS netjournal;
        CREATE TABLE netjournal.schema_version (version integer NOT NULL);
        INSERT INTO netjournal.schema_version VALUES (2);
        CREATE TABLE netjournal.counter (
            id integer PRIMARY KEY CHECK (id = 1),
            last_seq bigint NOT NULL,
            last_time_ms bigint NOT NULL);
        INSERT INTO netjournal.counter VALUES (1, 0, 0);
        CREATE TABLE netjournal.notes (
            seq bigint PRIMARY KEY,
            time_ms bigint NOT NULL,
            client text NOT NULL,
            address text NOT NULL,
            host text NOT NULL,
            text text NOT NULL,
            origin smallint NOT NULL,
            priority smallint,
            instance bigint NOT NULL,
            number bigint NOT NULL);
        CREATE UNIQUE INDEX notes_instance_number ON netjournal.notes (instance, number) WHERE instance <> 0;
        CREATE INDEX notes_client_seq ON netjournal.notes (client, seq);
        CREATE INDEX notes_host_seq ON netjournal.notes (host, seq);
        CREATE TABLE netjournal.instances (
            instance bigint PRIMARY KEY,
            settled bigint NOT NULL);
        CREATE TABLE netjournal.clients (
            name text PRIMARY KEY,
            first_seq bigint NOT NULL,
            first_ms bigint NOT NULL,
            last_ms bigint NOT NULL,
            last_address text NOT NULL,
            notes bigint NOT NULL);
        CREATE INDEX clients_first_seq ON netjournal.clients (first_seq);
        """ + SeqAtTime;

    // The first seq whose time is at or after t, or last_seq + 1: a binary search over seq 1 .. last_seq (gap-free, time
    // never decreasing with seq), one primary key lookup a step. STABLE: it sees the calling statement's snapshot.
    private const string SeqAtTime = """
        CREATE FUNCTION netjournal.seq_at_time(t bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
            WITH RECURSIVE s(lo, hi) AS (
                SELECT 1::bigint, (SELECT last_seq FROM netjournal.counter WHERE id = 1) + 1
                UNION ALL
                SELECT CASE WHEN n.time_ms >= t THEN s.lo ELSE n.seq + 1 END, CASE WHEN n.time_ms >= t THEN n.seq ELSE s.hi END
                FROM s JOIN netjournal.notes n ON n.seq = (s.lo + s.hi) / 2
                WHERE s.lo < s.hi)
            SELECT min(hi) FROM s
        $$;
        """;

    // Version 1 to 2: the index on time_ms goes (docs/performance.md: the write rate over PostgreSQL); seq_at_time replaces it.
    private const string UpgradeFrom1 = """
        DROP INDEX netjournal.notes_time;
        UPDATE netjournal.schema_version SET version = 2;
        """ + SeqAtTime;

    /// <summary>
    /// Makes sure the journal's tables exist at this version: creates them in an empty database, or brings a version 1
    /// journal to version 2 (one transaction, under an advisory lock so two servers starting together do it once).
    /// Returns true when it created them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database holds a version this build does not know (a newer one), or none
    /// when <paramref name="create"/> is false.</exception>
    public static bool Ensure(NpgsqlConnection connection, bool create)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, "SELECT pg_advisory_xact_lock(7305241935)");
        var found = ReadVersion(connection);
        if (found is null)
        {
            if (!create) throw new InvalidOperationException("the database holds no NetJournal journal; start with serve --store ... --init to create it");
            Execute(connection, Create);
            transaction.Commit();
            return true;
        }
        if (found == 1)
        {
            Execute(connection, UpgradeFrom1);
            found = Version;
        }
        if (found != Version)
            throw new InvalidOperationException(found > Version
                ? $"the journal's schema is version {found}, newer than this netjournal knows ({Version}); use a newer netjournal"
                : $"the journal's schema is version {found}, which this netjournal cannot read");
        transaction.Commit();
        return false;
    }

    private static int? ReadVersion(NpgsqlConnection connection)
    {
        using (var exists = new NpgsqlCommand("SELECT to_regclass('netjournal.schema_version') IS NOT NULL", connection))
            if (!(bool)exists.ExecuteScalar()!) return null;
        using var read = new NpgsqlCommand("SELECT max(version) FROM netjournal.schema_version", connection);
        return read.ExecuteScalar() is int v ? v : null;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
