using System.CommandLine;
using NetJournal.Cli.Editing;
using NetJournal.Cli.Live;
using NetJournal.Protocol;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal` with no command: the interactive session. Declares its options (--last, --all, --live) and the
/// action that runs it; both go on the root command, since the session is what the root does.
/// </summary>
public sealed class SessionCommand(GlobalOptions global, HistoryCommand history, CliContext context)
{
    public Option<ulong?> Last { get; } = new("--last") { Description = "How many of the latest notes to show on start (default 1,000)", HelpName = "N", CustomParser = OptionValues.NoteCount };
    public Option<bool> All { get; } = new("--all") { Description = "Show every past note on start" };

    /// <summary>Live notes for a session whose input or output is not a terminal (a terminal always has them).</summary>
    public Option<bool> Live { get; } = new("--live") { Description = "Print others' notes as they are stored also when input or output is not a terminal (in a terminal they always are)" };

    /// <summary>Adds the start options to <paramref name="root"/> and makes the session its action.</summary>
    public void AddTo(RootCommand root)
    {
        root.Options.Add(Last);
        root.Options.Add(All);
        root.Options.Add(Live);
        root.Validators.Add(r => HistoryCommand.RefuseLastWithAll(r, Last, All));
        root.SetAction((parse, ct) => global.RunWithClientAsync(parse, context, async client =>
        {
            ulong? last = parse.GetValue(All) ? null : parse.GetValue(Last) ?? InteractiveSession.DefaultLast;
            var start = new HistoryQuery(HistoryFilter.None, last, OutputFormat.Text, false);
            using var console = OpenConsole();
            // A script reading a pipe gets exactly what it asked for: live notes only with --live.
            var live = console is EditedSessionConsole || parse.GetValue(Live) ? new FollowedNotes(client) : null;
            return await new InteractiveSession(client, context, history, console, live).RunAsync(start, ct).ConfigureAwait(false);
        }));
    }

    /// <summary>Lines edited on the terminal when input and output both are one (NO_COLOR only takes the colours away); otherwise read as they come, as a script expects.</summary>
    private SessionConsole OpenConsole() => context.InputIsTerminal && context.OutputIsConsole
        ? new EditedSessionConsole(new ConsoleKeySource(), context.Out, TerminalColumns)
        : new PipedSessionConsole(context.In);

    /// <summary>The terminal's width, read at each redraw (it may be resized); 80 when it cannot be told.</summary>
    private static int TerminalColumns()
    {
        try
        {
            return Console.WindowWidth is > 0 and var width ? width : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
