namespace NetJournal.Cli.Commands;

/// <summary>The names <c>--format</c> takes, lowercase, as help and errors list them.</summary>
public static class OutputFormats
{
    /// <summary>What <c>history --format</c> takes.</summary>
    public static readonly OutputFormat[] History = [OutputFormat.Text, OutputFormat.Json, OutputFormat.Csv, OutputFormat.Md];

    /// <summary>What <c>clients --format</c> takes: a list of clients has no CSV or Markdown form.</summary>
    public static readonly OutputFormat[] Clients = [OutputFormat.Text, OutputFormat.Json];

    public static string Name(OutputFormat format) => format switch
    {
        OutputFormat.Text => "text",
        OutputFormat.Json => "json",
        OutputFormat.Csv => "csv",
        OutputFormat.Md => "md",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>"text, json, csv or md".</summary>
    public static string List(IReadOnlyList<OutputFormat> formats) =>
        formats.Count == 1 ? Name(formats[0]) : $"{string.Join(", ", formats.Take(formats.Count - 1).Select(Name))} or {Name(formats[^1])}";

    /// <summary>An option --format, -f taking one of <paramref name="accepted"/>; without it, text (the enum's default, so help shows no capitalised default); help shows &lt;text|json|…&gt;.</summary>
    public static System.CommandLine.Option<OutputFormat> Option(IReadOnlyList<OutputFormat> accepted, string description)
    {
        var option = new System.CommandLine.Option<OutputFormat>("--format", "-f")
        {
            Description = description,
            HelpName = string.Join('|', accepted.Select(Name)),
            CustomParser = OptionValues.Format(accepted),
        };
        option.CompletionSources.Clear();
        option.CompletionSources.Add(_ => accepted.Select(f => new System.CommandLine.Completions.CompletionItem(Name(f))));
        return option;
    }
}
