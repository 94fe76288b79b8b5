using System.CommandLine;
using System.CommandLine.Parsing;
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
        Since = TimeOption("--since", TimeBound.Since, context,
            "Only notes at or after this time: 2026-11-25, \"2026-11-25 14:30\" (local time unless Z or +08:00 follows), today, yesterday, -1h, \"10 minutes ago\", @UNIX-SECONDS");
        Until = TimeOption("--until", TimeBound.Until, context, "Only notes before this time (the same forms); a date alone includes that whole day");
        foreach (var option in new Option[] { Client, Address, Since, Until, Grep, Last, All, Format, ShowAddress }) Options.Add(option);
        global.AddTo(this);
        Validators.Add(r => RefuseLastWithAll(r, Last, All));
        SetAction((parse, ct) => global.RunWithClientAsync(parse, context, async client =>
        {
            await HistoryPrinter.PrintAsync(client, Read(parse, null), context, ct).ConfigureAwait(false);
            return 0;
        }));
    }

    public Option<string?> Client { get; } = new("--client", "-c") { Description = "Only notes written under this name" };

    public Option<string?> Address { get; } = new("--address", "-a")
    {
        Description = "Only notes from this source IP (any port) or IP:PORT",
        CustomParser = ParseAddress,
    };

    /// <summary>Unix milliseconds of the first instant wanted; read in <see cref="CliContext.TimeZone"/>.</summary>
    public Option<long?> Since { get; }

    /// <summary>Unix milliseconds of the first instant no longer wanted.</summary>
    public Option<long?> Until { get; }

    public Option<string?> Grep { get; } = new("--grep", "-g") { Description = "Only notes containing this text (case-insensitive)" };
    public Option<ulong?> Last { get; } = new("--last") { Description = "Only the latest N matching notes", HelpName = "N", CustomParser = OptionValues.NoteCount };
    public Option<bool> All { get; } = new("--all") { Description = "Every matching note" };
    public Option<OutputFormat> Format { get; } = OutputFormats.Option(OutputFormats.History,
        "text (for people, the default), json (JSON Lines, one note per line), csv (RFC 4180, header row) or md (Markdown list by day)");
    public Option<bool> ShowAddress { get; } = new("--show-address") { Description = "Print each note's source address in text output" };

    /// <summary>The query a parse of this command asks for; <paramref name="defaultLast"/> when neither --last nor --all is given (null: every note).</summary>
    public HistoryQuery Read(ParseResult parse, ulong? defaultLast)
    {
        var filter = Filter(parse, parse.GetValue(Until));
        var last = parse.GetValue(All) ? null : parse.GetValue(Last) ?? defaultLast;
        return new HistoryQuery(filter, last, parse.GetValue(Format), parse.GetValue(ShowAddress));
    }

    /// <summary>
    /// The filter of --client, --address, --since and --grep in a parse of this command or of another that shares these
    /// options (`follow`), up to <paramref name="untilMs"/> (Unix ms; null: no end).
    /// </summary>
    public HistoryFilter Filter(ParseResult parse, long? untilMs = null) =>
        new(parse.GetValue(Client), parse.GetValue(Address), parse.GetValue(Since), untilMs, parse.GetValue(Grep));

    /// <summary>--last N and --all ask for different things: refused together rather than one silently winning.</summary>
    public static void RefuseLastWithAll(CommandResult result, Option<ulong?> last, Option<bool> all)
    {
        if (result.GetResult(last) is { Implicit: false } && result.GetResult(all) is { Implicit: false } && result.GetValue(all))
            result.AddError("--last and --all cannot be given together: --last N shows the latest N notes, --all every one");
    }

    /// <summary>A time option whose value is read as it is parsed, so a time that cannot be read is a command-line error.</summary>
    private static Option<long?> TimeOption(string name, TimeBound bound, CliContext context, string description) => new(name)
    {
        Description = description,
        HelpName = "TIME",
        CustomParser = r =>
        {
            try
            {
                return TimeArgument.Parse(OptionValues.Token(r), context.TimeZone, context.Clock.GetCurrentInstant(), bound);
            }
            catch (FormatException e)
            {
                r.AddError($"{name}: {e.Message}");
                return null;
            }
        },
    };

    /// <summary>An IP or IP:PORT, as <see cref="AddressFilterText"/> takes it.</summary>
    private static string? ParseAddress(ArgumentResult r) =>
        AddressFilterText.Normalize(OptionValues.Token(r)) ?? OptionValues.Fail<string?>(r, $"takes {AddressFilterText.Takes}");
}
