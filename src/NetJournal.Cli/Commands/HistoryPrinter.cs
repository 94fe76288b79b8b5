using NetJournal.Cli.Output;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>Fetches and prints history; shared by `history`, the start of a session and /history.</summary>
public static class HistoryPrinter
{
    public static async Task<long> PrintAsync(JournalClient client, HistoryQuery query, CliContext context, CancellationToken cancellationToken)
    {
        long printed = 0;
        if (query.Format == OutputFormat.Json)
        {
            var json = new NoteJsonWriter(context.Out);
            await foreach (var note in client.HistoryAsync(query.Filter, query.LastN, cancellationToken).ConfigureAwait(false))
            {
                json.Write(note);
                printed++;
            }
            return printed;
        }
        if (query.Format == OutputFormat.Csv)
        {
            using var csv = new NoteCsvWriter(context.Out);
            await foreach (var note in client.HistoryAsync(query.Filter, query.LastN, cancellationToken).ConfigureAwait(false))
            {
                csv.Write(note);
                printed++;
            }
            return printed;
        }
        if (query.Format == OutputFormat.Md)
        {
            var markdown = new NoteMarkdownWriter(context.Out, context.Zone);
            await foreach (var note in client.HistoryAsync(query.Filter, query.LastN, cancellationToken).ConfigureAwait(false))
            {
                markdown.Write(note);
                printed++;
            }
            return printed;
        }
        if (query.LastN > 0)
        {
            var count = await client.CountAsync(query.Filter, 0, cancellationToken).ConfigureAwait(false);
            if (count.Matched > query.LastN) context.Error.WriteLine(Messages.EarlierNotes(count.Matched - query.LastN, (int)query.LastN));
        }
        var text = new NoteTextWriter(context.Out, context.Zone, query.ShowAddress, context.OutputIsTerminal);
        await foreach (var note in client.HistoryAsync(query.Filter, query.LastN, cancellationToken).ConfigureAwait(false))
        {
            text.Write(note);
            printed++;
        }
        text.Flush();
        return printed;
    }
}
