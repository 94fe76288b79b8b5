using System.CommandLine;
using NetJournal.Protocol;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal history`: prints past notes, filtered. Its options are also what the interactive /history
/// understands: the session parses a /history line with this same command.
/// </summary>
public sealed class HistoryCommand : Command
{
    /// <summary>Declares the filters and output choices, and the action that prints the matching notes.</summary>
    public HistoryCommand(GlobalOptions global, CliContext context)
        : base("history", "Print past notes, filtered")
    {
        foreach (var option in new Option[] { Client, Address, Since, Until, Grep, Last, All, Format, ShowAddress }) Options.Add(option);
        SetAction((parse, ct) => global.RunWithClientAsync(parse, context, async client =>
        {
            await HistoryPrinter.PrintAsync(client, Read(parse, context.Zone, 0), context, ct).ConfigureAwait(false);
            return 0;
        }));
    }

    public Option<string?> Client { get; } = new("--client", "-c") { Description = "Only notes written under this name" };
    public Option<string?> Address { get; } = new("--address", "-a") { Description = "Only notes from this source IP (any port) or IP:PORT" };
    public Option<string?> Since { get; } = new("--since") { Description = "Only notes at or after this date or date and time (local time; 2026-11-25 or \"2026-11-25 14:30\")" };
    public Option<string?> Until { get; } = new("--until") { Description = "Only notes before this time; a date alone includes that whole day" };
    public Option<string?> Grep { get; } = new("--grep", "-g") { Description = "Only notes containing this text (case-insensitive)" };
    public Option<ulong?> Last { get; } = new("--last") { Description = "Only the latest N matching notes" };
    public Option<bool> All { get; } = new("--all") { Description = "Every matching note" };
    public Option<OutputFormat> Format { get; } = new("--format", "-f") { Description = "text (for people), json (JSON Lines, one note per line), csv (RFC 4180, header row) or md (Markdown list by day)", DefaultValueFactory = _ => OutputFormat.Text };
    public Option<bool> ShowAddress { get; } = new("--show-address") { Description = "Print each note's source address in text output" };

    /// <summary>The query a parse of this command asks for; <paramref name="defaultLast"/> (0 = all) when neither --last nor --all is given.</summary>
    /// <exception cref="FormatException">--since or --until is not a date.</exception>
    public HistoryQuery Read(ParseResult parse, TimeZoneInfo zone, ulong defaultLast)
    {
        var since = parse.GetValue(Since) is { } s ? TimeArgument.Parse(s, zone, endOfDay: false) : (long?)null;
        var until = parse.GetValue(Until) is { } u ? TimeArgument.Parse(u, zone, endOfDay: true) : (long?)null;
        var filter = new HistoryFilter(parse.GetValue(Client), parse.GetValue(Address), since, until, parse.GetValue(Grep));
        var last = parse.GetValue(All) ? 0UL : parse.GetValue(Last) ?? defaultLast;
        return new HistoryQuery(filter, last, parse.GetValue(Format), parse.GetValue(ShowAddress));
    }
}
