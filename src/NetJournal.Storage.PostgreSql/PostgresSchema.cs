using Npgsql;

namespace NetJournal.Storage.PostgreSql;

/// <summary>
/// The journal's tables in the schema <c>netjournal</c>, and their version (<c>netjournal.schema_version</c>). Version 1:
/// <list type="bullet">
/// <item><c>counter</c>: one row, the last seq and time given; every commit updates it in its own transaction, so
/// commits from all servers take seqs one after another, without gaps, in commit order (docs/postgresql.md).</item>
/// <item><c>notes</c>: one row per note, seq the primary key; (instance, number) unique where instance is not 0
/// (deduplication); indexes (client, seq), (host, seq) and (time_ms) for the history filters.</item>
/// <item><c>instances</c>: per client instance, the highest number settled: the next one due comes from here, whichever server asks.</item>
/// <item><c>clients</c>: per client name, its totals for <c>netjournal clients</c>, kept up to date by each commit.</item>
/// </list>
/// </summary>
public static class PostgresSchema
{
    /// <summary>The version this build writes and reads.</summary>
    public const int Version = 1;

    private const string Create = """
        CREATE SCHEMA IF NOT EXISTS netjournal;
        CREATE TABLE netjournal.schema_version (version integer NOT NULL);
        INSERT INTO netjournal.schema_version VALUES (1);
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
        CREATE INDEX notes_time ON netjournal.notes (time_ms);
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
        """;

    /// <summary>
    /// Makes sure the journal's tables exist at this version: creates them in an empty database (one transaction, under an
    /// advisory lock so two servers starting together create them once). Returns true when it created them.
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
