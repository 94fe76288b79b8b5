using System.CommandLine;
using NetJournal.Storage.PostgreSql;

namespace NetJournal.Cli.Commands;

/// <summary>
/// The commands about a PostgreSQL journal: <c>serve --store … --init</c>, <c>import</c> (a journal file into
/// PostgreSQL) and <c>export</c> (PostgreSQL to the journal file's JSON Lines, on standard output).
/// </summary>
public static class StoreCommands
{
    private static Option<string> StoreOption() => new("--store")
    {
        Description = "The PostgreSQL journal: postgresql://USER@HOST:PORT/DB or an Npgsql connection string (password from $PGPASSWORD or --store-password-file)",
        Required = true,
    };

    private static Option<string?> PasswordFileOption() => new("--store-password-file") { Description = "A file whose first line is the PostgreSQL password" };

    /// <summary>`netjournal import --store … FILE`.</summary>
    public static Command Import(CliContext context)
    {
        var store = StoreOption();
        var passwordFile = PasswordFileOption();
        var file = new Argument<string>("FILE") { Description = "The journal file (journal.jsonl) or its folder" };
        var command = new Command("import", "Copy a journal file into an empty PostgreSQL journal, keeping every note's seq, time, client, address and text");
        command.Options.Add(store);
        command.Options.Add(passwordFile);
        command.Arguments.Add(file);
        command.SetAction(async parse =>
        {
            if (Location(parse.GetValue(store)!, parse.GetValue(passwordFile), context, "import") is not { } location) return 2;
            var path = parse.GetValue(file)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                await context.Error.WriteLineAsync($"netjournal import: {path} does not exist").ConfigureAwait(false);
                return 2;
            }
            try
            {
                var result = PostgresJournalTransfer.Import(location, path);
                var skipped = result.SkippedLines == 0 ? "" : $"; {result.SkippedLines} {(result.SkippedLines == 1 ? "line was" : "lines were")} not a note and skipped";
                await context.Error.WriteLineAsync(
                    $"netjournal import: {result.Notes} {(result.Notes == 1 ? "note" : "notes")} into {location.Display}, last seq {result.LastSeq}{skipped}").ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"netjournal import: {ServeCommand.OneLine(e)}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>`netjournal export --store … > FILE`.</summary>
    public static Command Export(CliContext context)
    {
        var store = StoreOption();
        var passwordFile = PasswordFileOption();
        var command = new Command("export", "Write a PostgreSQL journal to standard output as a journal file (JSON Lines), which serve --data opens as it is");
        command.Options.Add(store);
        command.Options.Add(passwordFile);
        command.SetAction(async parse =>
        {
            if (Location(parse.GetValue(store)!, parse.GetValue(passwordFile), context, "export") is not { } location) return 2;
            try
            {
                var count = PostgresJournalTransfer.Export(location, context.Out);
                await context.Error.WriteLineAsync($"netjournal export: {count} {(count == 1 ? "note" : "notes")} from {location.Display}").ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                await context.Error.WriteLineAsync($"netjournal export: {ServeCommand.OneLine(e)}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>`serve --store … --init`: creates the journal's tables and exits.</summary>
    internal static async Task<int> InitAsync(PostgresLocation? location, CliContext context)
    {
        try
        {
            using var store = PostgresJournalStore.Open(location!);
            var what = store.Recovery.Created ? "created the journal's tables" : "the journal's tables are there already";
            await context.Error.WriteLineAsync($"netjournal serve: {what} in {location!.Display} (schema version {PostgresSchema.Version}, {store.NoteCount} notes)").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"netjournal serve: {ServeCommand.OneLine(e)}").ConfigureAwait(false);
            return 1;
        }
    }

    private static PostgresLocation? Location(string text, string? passwordFile, CliContext context, string command)
    {
        try
        {
            return PostgresLocation.Parse(text, passwordFile);
        }
        catch (FormatException e)
        {
            context.Error.WriteLine($"netjournal {command}: {e.Message}");
            return null;
        }
    }
}
