using System.CommandLine.Parsing;
using NetJournal.Cli.Editing;
using NetJournal.Cli.Live;
using NetJournal.Cli.Output;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal` with no subcommand: prints the latest history, then stores each line typed as a note and
/// confirms it. Notes the server did not confirm are kept, offered to /retry, and printed on leaving,
/// so nothing typed is lost. With a pipe or file as input it does the same, without prompts or colours.
/// With a <see cref="ILiveNoteSource"/>, notes others store are printed as they arrive, above the line being typed;
/// the session's own notes are not printed again (their confirmation says they are stored).
/// </summary>
public sealed class InteractiveSession(JournalClient client, CliContext context, HistoryCommand historyCommand, SessionConsole console, ILiveNoteSource? live = null)
{
    public const ulong DefaultLast = 1000;
    private readonly List<string> _unsent = [];
    private readonly List<string> _refused = [];

    // This session's notes, to know them when they come back live: texts being sent, and seqs stored and not seen yet.
    private readonly Lock _ownLock = new();
    private readonly List<string> _sending = [];
    private readonly HashSet<ulong> _ownSeqs = [];

    /// <summary>Lines are typed in a terminal: the welcome says how to type, and status lines are coloured unless NO_COLOR.</summary>
    private bool Terminal => console is EditedSessionConsole;

    private bool Colour => Terminal && context.OutputIsTerminal;

    public async Task<int> RunAsync(HistoryQuery startQuery, CancellationToken cancellationToken)
    {
        context.Error.WriteLine(Messages.Welcome(client.Server.ToString(), client.Options.Name, Terminal));
        using var stopLive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = Task.CompletedTask;
        var interrupted = false;
        try
        {
            Note? shownLast = null;
            var shown = await ShowHistoryAsync(startQuery, cancellationToken, note => shownLast = note).ConfigureAwait(false);
            if (live is not null)
            {
                // Live notes go on strictly after the last one shown, so none slips between the two; when the journal
                // had none to show, from its start; when the history could not be read or none was asked for, from now.
                var after = shownLast?.Seq ?? (shown && startQuery.Last != 0 ? 0 : null);
                following = FollowAsync(live, after, shownLast, stopLive.Token);
            }
            while (true)
            {
                using (await console.HoldAsync(cancellationToken).ConfigureAwait(false))
                    await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                var line = await console.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null) break;
                if (string.IsNullOrWhiteSpace(line)) continue;
                using (await console.HoldAsync(cancellationToken).ConfigureAwait(false))
                {
                    // A line starting with "//" is a note starting with "/".
                    if (line.StartsWith("//", StringComparison.Ordinal))
                        await StoreAsync(line[1..], cancellationToken).ConfigureAwait(false);
                    else if (line.StartsWith('/'))
                    {
                        if (!await RunCommandAsync(line.Trim(), cancellationToken).ConfigureAwait(false)) break;
                    }
                    else
                        await StoreAsync(line, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: leave as /quit does, with every note not confirmed printed back, the one being sent too.
            interrupted = true;
        }
        finally
        {
            await stopLive.CancelAsync().ConfigureAwait(false);
            await following.ConfigureAwait(false);
        }
        PrintBack();
        return interrupted ? 130 : _unsent.Count > 0 || _refused.Count > 0 ? 1 : 0;
    }

    /// <summary>
    /// Prints each note <paramref name="source"/> gives, above the line being typed, until cancelled; the session's
    /// own notes are left out. A source that fails says why once and stops; the session goes on.
    /// </summary>
    private async Task FollowAsync(ILiveNoteSource source, ulong? after, Note? shownLast, CancellationToken cancellationToken)
    {
        var writer = new NoteTextWriter(context.Out, context.Zone, color: Colour, live: true);
        if (shownLast is not null) writer.ContinueAfter(shownLast);
        try
        {
            await foreach (var item in source.FollowAsync(after, cancellationToken).ConfigureAwait(false))
            {
                if (item.Note is { } note)
                {
                    if (IsOwn(note)) continue;
                    await console.PrintAboveAsync(() =>
                    {
                        writer.Write(note);
                        writer.Flush();
                        context.Out.Flush();
                    }, cancellationToken).ConfigureAwait(false);
                }
                else if (item.Status is { } status)
                {
                    await console.PrintAboveAsync(() => context.Error.WriteLine(status), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session is leaving.
        }
        catch (Exception e) when (e is JournalUnavailableException or JournalRequestException)
        {
            await console.PrintAboveAsync(() => context.Error.WriteLine(Messages.LiveStopped(e.Message)), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>A note this session wrote: being sent now, or stored with a seq not seen live yet.</summary>
    private bool IsOwn(Note note)
    {
        if (note.Client != client.Options.Name) return false;
        lock (_ownLock) return _ownSeqs.Remove(note.Seq) || _sending.Contains(note.Text);
    }

    /// <summary>Prints, on standard error, every note the server did not confirm and every note it refused, so none is lost.</summary>
    private void PrintBack()
    {
        if (_unsent.Count > 0)
        {
            context.Error.WriteLine(Messages.Unsent(_unsent.Count));
            foreach (var note in _unsent) context.Error.WriteLine(note);
        }
        if (_refused.Count > 0)
        {
            context.Error.WriteLine(Messages.Refused(_refused.Count));
            foreach (var note in _refused) context.Error.WriteLine(note);
        }
    }

    private async Task StoreAsync(string note, CancellationToken cancellationToken)
    {
        NoteOutcome outcome;
        lock (_ownLock) _sending.Add(note);
        try
        {
            outcome = await client.WriteAsync(note, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Interrupted before its answer: it may or may not be stored, so it is printed back with the unconfirmed.
            _unsent.Add(note);
            throw;
        }
        finally
        {
            lock (_ownLock)
            {
                _sending.Remove(note);
            }
        }
        if (outcome.IsStored)
        {
            lock (_ownLock) _ownSeqs.Add(outcome.Seq);
            var text = Messages.Stored(outcome.Seq);
            context.Error.WriteLine(Colour ? $"\u001b[32m✓ {text}\u001b[0m" : text);
            return;
        }
        var failure = Messages.NotStored(outcome.Describe());
        context.Error.WriteLine(Colour ? $"\u001b[31m✗ {failure}\u001b[0m" : failure);
        if (outcome.Unanswered)
        {
            _unsent.Add(note);
            context.Error.WriteLine(Messages.KeptForRetry(_unsent.Count));
        }
        else
        {
            // Refused for what it is (too long, a bad name): sending it again would not help, but it is not lost either.
            _refused.Add(note);
        }
    }

    /// <summary>Runs a slash command; false means leave.</summary>
    private async Task<bool> RunCommandAsync(string line, CancellationToken cancellationToken)
    {
        var words = CommandLineParser.SplitCommandLine(line).ToArray();
        switch (words[0])
        {
            case "/quit" or "/exit" or "/q":
                return false;
            case "/help" or "/?":
                context.Error.WriteLine(Messages.Help);
                return true;
            case "/history":
                var parse = historyCommand.Parse(words[1..], CliApp.ParserConfiguration);
                if (parse.Errors.Count > 0)
                {
                    foreach (var error in parse.Errors) context.Error.WriteLine(error.Message);
                    return true;
                }
                await ShowHistoryAsync(historyCommand.Read(parse, DefaultLast), cancellationToken).ConfigureAwait(false);
                return true;
            case "/clients":
                await Safely(() => ClientsPrinter.PrintAsync(client, OutputFormat.Text, context, cancellationToken)).ConfigureAwait(false);
                return true;
            case "/ask":
                // The rest of the line as typed (quotes kept): a question is free text, not arguments.
                var question = line.Trim()[words[0].Length..].Trim();
                if (Messages.QuestionProblem(question) is { } problem) context.Error.WriteLine(problem);
                else await Safely(() => AskCommand.RunAsync(client, question, context, cancellationToken)).ConfigureAwait(false);
                return true;
            case "/retry":
                var waiting = _unsent.ToList();
                _unsent.Clear();
                foreach (var note in waiting) await StoreAsync(note, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                context.Error.WriteLine(Messages.UnknownCommand(words[0]));
                return true;
        }
    }

    /// <summary>Prints history; false (said on standard error) when it could not be read.</summary>
    private Task<bool> ShowHistoryAsync(HistoryQuery query, CancellationToken cancellationToken, Action<Note>? printedLast = null) =>
        Safely(() => HistoryPrinter.PrintAsync(client, query, context, cancellationToken, printedLast));

    private async Task<bool> Safely(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is JournalUnavailableException or JournalRequestException or FormatException)
        {
            context.Error.WriteLine(e.Message);
            return false;
        }
    }
}
