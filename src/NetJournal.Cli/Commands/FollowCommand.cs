using System.CommandLine;
using System.CommandLine.Parsing;
using NetJournal.Cli.Output;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal follow`: prints matching notes as they are stored, each once and in seq order, until Ctrl-C or SIGTERM
/// (exit 0). Takes history's filters and formats (the same options, shared with <see cref="HistoryCommand"/>), and where
/// to start: the latest N matching notes first (--last), or strictly after a seq (--after, a cursor a script saves).
/// The following itself is <see cref="JournalClient.FollowAsync"/>'s; this prints its notes, flushed one by one, and
/// says on standard error, once each time, when the server stops answering, answers again, or restarted.
/// </summary>
public sealed class FollowCommand : Command
{
    /// <summary>Declares the options (the filters and formats are <paramref name="history"/>'s own) and the action.</summary>
    public FollowCommand(GlobalOptions global, HistoryCommand history, CliContext context)
        : base("follow", "Print matching notes as they are stored, until Ctrl-C")
    {
        foreach (var option in new Option[] { history.Client, history.Address, history.Since, history.Grep, Last, After, history.Format, history.ShowAddress })
            Options.Add(option);
        global.AddTo(this);
        Validators.Add(RefuseLastWithAfter);
        SetAction((parse, ct) => global.RunWithClientAsync(parse, context, async client =>
        {
            var start = parse.GetValue(After) is { } after ? FollowStart.After(after)
                : parse.GetValue(Last) is { } last ? FollowStart.Last(last)
                : FollowStart.Now;
            using var output = new NoteOutput(parse.GetValue(history.Format), context, parse.GetValue(history.ShowAddress), live: true);
            try
            {
                await foreach (var e in client.FollowAsync(history.Filter(parse), start, ct).ConfigureAwait(false))
                {
                    switch (e.Kind)
                    {
                        case FollowEventKind.Note:
                            output.Write(e.Note!);
                            // Flushed per note: a pipe (grep, a script) sees each note as it is stored.
                            output.Flush();
                            break;
                        case FollowEventKind.NotAnswering:
                            await context.Error.WriteLineAsync(Messages.FollowNotAnswering(client.Server.ToString(), e.Seq)).ConfigureAwait(false);
                            break;
                        case FollowEventKind.Resumed:
                            await context.Error.WriteLineAsync(Messages.FollowResumed(e.Seq)).ConfigureAwait(false);
                            break;
                        case FollowEventKind.Restarted:
                            await context.Error.WriteLineAsync(Messages.FollowRestarted(e.Seq)).ConfigureAwait(false);
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM is how a follow ends: quietly, exit 0.
            }
            output.Flush();
            return 0;
        }));
    }

    public Option<ulong?> Last { get; } = new("--last")
    {
        Description = "First print the latest N matching notes, then follow",
        HelpName = "N",
        CustomParser = OptionValues.NoteCount,
    };

    public Option<ulong?> After { get; } = new("--after")
    {
        Description = "First print every matching note with a seq above SEQ (a cursor saved from earlier output), then follow",
        HelpName = "SEQ",
        CustomParser = OptionValues.Seq,
    };

    private void RefuseLastWithAfter(CommandResult result)
    {
        if (result.GetResult(Last) is { Implicit: false } && result.GetResult(After) is { Implicit: false })
            result.AddError("--last and --after cannot be given together: --last N starts with the latest N notes, --after SEQ right after a seq");
    }
}
