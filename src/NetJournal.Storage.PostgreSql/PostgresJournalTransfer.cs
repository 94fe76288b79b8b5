using System.Buffers;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace NetJournal.Storage.PostgreSql;

/// <summary>
/// Copies a journal between its file form (JSON Lines, <see cref="JournalLine"/>) and PostgreSQL, keeping every note's
/// seq, time, client, address, text, origin, priority and dedup pair. Import fills an empty PostgreSQL journal with one
/// binary COPY in one transaction; export writes the file form, which <c>netjournal serve --data</c> opens as it is.
/// </summary>
public static class PostgresJournalTransfer
{
    /// <summary>What an import did: notes copied, lines of the file that were not notes (skipped), the last seq.</summary>
    public readonly record struct ImportResult(long Notes, long SkippedLines, ulong LastSeq);

    /// <summary>
    /// Imports the journal file at <paramref name="path"/> (a journal.jsonl, or its folder) into the PostgreSQL journal,
    /// creating its tables if missing. Lines that are not notes are skipped and counted, as a server's recovery does.
    /// </summary>
    /// <exception cref="InvalidOperationException">The PostgreSQL journal already holds notes, or the file's seqs do not rise.</exception>
    /// <exception cref="IOException">The file or the database cannot be read or written.</exception>
    public static ImportResult Import(PostgresLocation location, string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, JournalStore.FileName);
        using var store = PostgresJournalStore.Open(location);
        using var connection = store.Connect();
        try
        {
            using var transaction = connection.BeginTransaction();
            // The counter's lock keeps servers out while the notes go in.
            ulong last;
            using (var counter = new NpgsqlCommand("SELECT last_seq FROM netjournal.counter WHERE id = 1 FOR UPDATE", connection))
                last = (ulong)(long)counter.ExecuteScalar()!;
            if (last != 0) throw new InvalidOperationException($"the PostgreSQL journal {location.Display} already holds notes (up to seq {last}); import into an empty one");
            long notes = 0, skipped = 0;
            ulong seq = 0;
            long time = 0;
            using (var copy = connection.BeginBinaryImport(
                "COPY netjournal.notes (seq, time_ms, client, address, host, text, origin, priority, instance, number) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var line in Lines(path))
                {
                    if (JournalLine.TryParse(line) is not { } r)
                    {
                        skipped++;
                        continue;
                    }
                    if (r.Seq <= seq) throw new InvalidOperationException($"{path}: seq {r.Seq} comes after seq {seq}; a journal's seqs rise");
                    seq = r.Seq;
                    time = Math.Max(time, r.TimeMs);
                    copy.StartRow();
                    copy.Write((long)r.Seq, NpgsqlDbType.Bigint);
                    copy.Write(r.TimeMs, NpgsqlDbType.Bigint);
                    copy.Write(r.Client, NpgsqlDbType.Text);
                    copy.Write(r.Address, NpgsqlDbType.Text);
                    copy.Write(PostgresJournalStore.HostOf(r.Address), NpgsqlDbType.Text);
                    copy.Write(r.Text, NpgsqlDbType.Text);
                    copy.Write((short)r.Origin, NpgsqlDbType.Smallint);
                    if (r.Priority is { } p) copy.Write((short)p, NpgsqlDbType.Smallint);
                    else copy.WriteNull();
                    copy.Write(unchecked((long)r.Instance), NpgsqlDbType.Bigint);
                    copy.Write(unchecked((long)r.Number), NpgsqlDbType.Bigint);
                    notes++;
                }
                copy.Complete();
            }
            // The totals every commit keeps, made once from the notes.
            using (var totals = new NpgsqlCommand("""
                INSERT INTO netjournal.instances (instance, settled)
                    SELECT instance, max(number) FROM netjournal.notes WHERE instance <> 0 GROUP BY instance;
                INSERT INTO netjournal.clients (name, first_seq, first_ms, last_ms, last_address, notes)
                    SELECT client, min(seq), min(time_ms), max(time_ms), (array_agg(address ORDER BY seq DESC))[1], count(*)
                    FROM netjournal.notes GROUP BY client;
                UPDATE netjournal.counter SET last_seq = @seq, last_time_ms = @time WHERE id = 1;
                """, connection))
            {
                totals.Parameters.AddWithValue("seq", (long)seq);
                totals.Parameters.AddWithValue("time", time);
                totals.ExecuteNonQuery();
            }
            transaction.Commit();
            return new ImportResult(notes, skipped, seq);
        }
        catch (NpgsqlException e)
        {
            throw store.Unreachable(e);
        }
    }

    /// <summary>Writes every note, in seq order, as the journal file's lines to <paramref name="output"/>; returns how many.</summary>
    /// <exception cref="IOException">The database cannot be read, or the output written.</exception>
    public static long Export(PostgresLocation location, TextWriter output)
    {
        using var store = PostgresJournalStore.Open(location);
        using var connection = store.Connect();
        try
        {
            // One snapshot: the notes up to the counter, all committed.
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using var command = new NpgsqlCommand(
                "SELECT seq, time_ms, client, address, text, origin, priority, instance, number FROM netjournal.notes ORDER BY seq", connection);
            using var reader = command.ExecuteReader();
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            long count = 0;
            while (reader.Read())
            {
                JournalLine.Write(new JournalRecord(
                    (ulong)reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    (Protocol.NoteOrigin)reader.GetInt16(5), reader.IsDBNull(6) ? null : (byte)reader.GetInt16(6),
                    unchecked((ulong)reader.GetInt64(7)), unchecked((ulong)reader.GetInt64(8))), buffer);
                count++;
                if (buffer.WrittenCount < 60 * 1024) continue;
                // Whole lines only, so no character is split between two writes.
                output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
                buffer.ResetWrittenCount();
            }
            output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
            output.Flush();
            return count;
        }
        catch (NpgsqlException e)
        {
            throw store.Unreachable(e);
        }
    }

    /// <summary>The file's lines as UTF-8 bytes, without their line ends.</summary>
    private static IEnumerable<byte[]> Lines(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) yield return Encoding.UTF8.GetBytes(line);
    }
}
