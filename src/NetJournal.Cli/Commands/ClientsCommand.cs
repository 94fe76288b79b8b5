using System.CommandLine;

namespace NetJournal.Cli.Commands;

/// <summary>`netjournal clients`: every client that wrote, as a table or as JSON Lines.</summary>
public sealed class ClientsCommand : Command
{
    /// <summary>Declares --format (text or json), the client options and the action that prints the clients.</summary>
    public ClientsCommand(GlobalOptions global, CliContext context)
        : base("clients", "List every client that wrote: name, last address, notes, first and last time")
    {
        Options.Add(Format);
        global.AddTo(this);
        SetAction((parse, ct) => global.RunWithClientAsync(parse, context, async client =>
        {
            await ClientsPrinter.PrintAsync(client, parse.GetValue(Format), context, ct).ConfigureAwait(false);
            return 0;
        }));
    }

    // The format enum is shared with history; csv and md exist only there, so they are neither taken nor listed here.
    public Option<OutputFormat> Format { get; } = OutputFormats.Option(OutputFormats.Clients, "text (a table, the default) or json (JSON Lines)");
}
