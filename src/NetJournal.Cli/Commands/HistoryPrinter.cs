using NetJournal.Cli.Output;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Cli.Commands;

/// <summary>Fetches and prints history; shared by `history`, the start of a session and /history.</summary>
public static class HistoryPrinter
{
    /// <summary>
    /// Prints the notes <paramref name="query"/> asks for and returns how many; when a filter matched none, says so on
    /// standard error (an empty output alone cannot tell "nothing matched" from "nothing printed"). In text format,
    /// <paramref name="printedLast"/> is given the last note printed, if any (where a live listing goes on from).
    /// </summary>
    public static async Task<long> PrintAsync(JournalClient client, HistoryQuery query, CliContext context, CancellationToken cancellationToken, Action<Note>? printedLast = null)
    {
        // --last 0 asks for no note: nothing to fetch.
        if (query.Last == 0) return 0;
        var printed = await PrintNotesAsync(client, query, context, printedLast, cancellationToken).ConfigureAwait(false);
        if (printed == 0 && !query.Filter.IsEmpty) await context.Error.WriteLineAsync(Messages.NoMatch).ConfigureAwait(false);
        return printed;
    }

    private static async Task<long> PrintNotesAsync(JournalClient client, HistoryQuery query, CliContext context, Action<Note>? printedLast, CancellationToken cancellationToken)
    {
        long printed = 0;
        var lastN = query.Last ?? 0;
        if (query.Format == OutputFormat.Json)
        {
            var json = new NoteJsonWriter(context.Out);
            await foreach (var note in client.HistoryAsync(query.Filter, lastN, cancellationToken).ConfigureAwait(false))
            {
                json.Write(note);
                printed++;
            }
            return printed;
        }
        if (query.Format == OutputFormat.Csv)
        {
            using var csv = new NoteCsvWriter(context.Out);
            await foreach (var note in client.HistoryAsync(query.Filter, lastN, cancellationToken).ConfigureAwait(false))
            {
                csv.Write(note);
                printed++;
            }
            return printed;
        }
        if (query.Format == OutputFormat.Md)
        {
            var markdown = new NoteMarkdownWriter(context.Out, context.Zone);
            await foreach (var note in client.HistoryAsync(query.Filter, lastN, cancellationToken).ConfigureAwait(false))
            {
                markdown.Write(note);
                printed++;
            }
            return printed;
        }
        if (lastN > 0)
        {
            var count = await client.CountAsync(query.Filter, 0, cancellationToken).ConfigureAwait(false);
            if (count.Matched > lastN) context.Error.WriteLine(Messages.EarlierNotes(count.Matched - lastN, (int)Math.Min(lastN, int.MaxValue)));
        }
        var text = new NoteTextWriter(context.Out, context.Zone, query.ShowAddress, context.OutputIsTerminal);
        Note? last = null;
        await foreach (var note in client.HistoryAsync(query.Filter, lastN, cancellationToken).ConfigureAwait(false))
        {
            text.Write(note);
            last = note;
            printed++;
        }
        text.Flush();
        if (last is not null) printedLast?.Invoke(last);
        return printed;
    }
}
