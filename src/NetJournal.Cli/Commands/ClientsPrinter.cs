using System.Globalization;
using NetJournal.Cli.Output;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>Prints who wrote: name, last address, notes, first and last time.</summary>
public static class ClientsPrinter
{
    public static async Task PrintAsync(JournalClient client, OutputFormat format, CliContext context, CancellationToken cancellationToken)
    {
        var clients = await client.ClientsAsync(cancellationToken).ConfigureAwait(false);
        if (format == OutputFormat.Json)
        {
            foreach (var c in clients) NoteJsonWriter.WriteClient(context.Out, c);
            return;
        }
        var nameWidth = Math.Max(4, clients.Select(c => DisplayWidth.Of(TerminalText.Sanitize(c.Name))).DefaultIfEmpty(0).Max());
        var addressWidth = Math.Max(12, clients.Select(c => c.LastAddress.Length).DefaultIfEmpty(0).Max());
        context.Out.WriteLine($"{DisplayWidth.Pad("NAME", nameWidth)}  {"LAST ADDRESS".PadRight(addressWidth)}  {"NOTES",7}  {"FIRST",-19}  LAST");
        foreach (var c in clients)
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{DisplayWidth.Pad(TerminalText.Sanitize(c.Name), nameWidth)}  {c.LastAddress.PadRight(addressWidth)}  {c.NoteCount,7}  {Local(c.FirstMs, context)}  {Local(c.LastMs, context)}"));
        }
    }

    private static string Local(long ms, CliContext context) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), context.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
