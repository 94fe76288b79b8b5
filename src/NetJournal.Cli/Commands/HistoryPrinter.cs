using NetJournal.Cli.Output;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>Fetches and prints history; shared by `history`, the start of a session and /history.</summary>
public static class HistoryPrinter
{
    /// <summary>
    /// Prints the notes <paramref name="query"/> asks for and returns how many; when a filter matched none, says so on
    /// standard error (an empty output alone cannot tell "nothing matched" from "nothing printed").
    /// </summary>
    public static async Task<long> PrintAsync(JournalClient client, HistoryQuery query, CliContext context, CancellationToken cancellationToken)
    {
        // --last 0 asks for no note: nothing to fetch.
        if (query.Last == 0) return 0;
        var printed = await PrintNotesAsync(client, query, context, cancellationToken).ConfigureAwait(false);
        if (printed == 0 && !query.Filter.IsEmpty) await context.Error.WriteLineAsync(Messages.NoMatch).ConfigureAwait(false);
        return printed;
    }

    private static async Task<long> PrintNotesAsync(JournalClient client, HistoryQuery query, CliContext context, CancellationToken cancellationToken)
    {
        var lastN = query.Last ?? 0;
        if (lastN > 0 && query.Format == OutputFormat.Text)
        {
            var count = await client.CountAsync(query.Filter, 0, cancellationToken).ConfigureAwait(false);
            if (count.Matched > lastN) context.Error.WriteLine(Messages.EarlierNotes(count.Matched - lastN, (int)Math.Min(lastN, int.MaxValue)));
        }
        using var output = new NoteOutput(query.Format, context, query.ShowAddress);
        await foreach (var note in client.HistoryAsync(query.Filter, lastN, cancellationToken).ConfigureAwait(false)) output.Write(note);
        return output.Written;
    }
}
