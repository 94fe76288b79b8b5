using System.CommandLine;

namespace NetJournal.Cli.Commands;

/// <summary>`netjournal clients`: every client that wrote, as a table or as JSON Lines.</summary>
public sealed class ClientsCommand : Command
{
    /// <summary>Declares --format (text or json) and the action that prints the clients.</summary>
    public ClientsCommand(GlobalOptions global, CliContext context)
        : base("clients", "List every client that wrote: name, last address, notes, first and last time")
    {
        // The format enum is shared with history; csv and md exist only there.
        Format.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<OutputFormat>() is OutputFormat.Csv or OutputFormat.Md) r.AddError("clients --format takes text or json");
        });
        Options.Add(Format);
        SetAction((parse, ct) => global.RunWithClientAsync(parse, context, async client =>
        {
            await ClientsPrinter.PrintAsync(client, parse.GetValue(Format), context, ct).ConfigureAwait(false);
            return 0;
        }));
    }

    public Option<OutputFormat> Format { get; } = new("--format", "-f") { Description = "text or json (JSON Lines)", DefaultValueFactory = _ => OutputFormat.Text };
}
