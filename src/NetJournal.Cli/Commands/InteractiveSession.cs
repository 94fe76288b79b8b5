using System.CommandLine.Parsing;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal` with no subcommand: prints the latest history, then stores each line typed as a note and
/// confirms it. Notes the server did not confirm are kept, offered to /retry, and printed on leaving,
/// so nothing typed is lost. With a pipe or file as input it does the same, without prompts or colours.
/// </summary>
public sealed class InteractiveSession(JournalClient client, CliContext context, HistoryCommand historyCommand)
{
    public const ulong DefaultLast = 1000;
    private readonly List<string> _unsent = [];
    private readonly List<string> _refused = [];
    private bool Terminal => context.InputIsTerminal && context.OutputIsTerminal;

    public async Task<int> RunAsync(HistoryQuery startQuery, CancellationToken cancellationToken)
    {
        context.Error.WriteLine(Messages.Welcome(client.Server.ToString(), client.Options.Name, Terminal));
        try
        {
            await ShowHistoryAsync(startQuery, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (Terminal) await context.Out.WriteAsync("> ").ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                var line = await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null) break;
                if (string.IsNullOrWhiteSpace(line)) continue;
                if (line.StartsWith('/'))
                {
                    if (!await RunCommandAsync(line.Trim(), cancellationToken).ConfigureAwait(false)) break;
                    continue;
                }
                await StoreAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: leave as /quit does, with every note not confirmed printed back, the one being sent too.
            PrintBack();
            return 130;
        }
        PrintBack();
        return _unsent.Count > 0 || _refused.Count > 0 ? 1 : 0;
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
        if (outcome.IsStored)
        {
            var text = Messages.Stored(outcome.Seq);
            context.Error.WriteLine(Terminal ? $"\u001b[32m✓ {text}\u001b[0m" : text);
            return;
        }
        var failure = Messages.NotStored(outcome.Describe());
        context.Error.WriteLine(Terminal ? $"\u001b[31m✗ {failure}\u001b[0m" : failure);
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
                await Safely(() => ShowHistoryAsync(historyCommand.Read(parse, DefaultLast), cancellationToken)).ConfigureAwait(false);
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

    private Task ShowHistoryAsync(HistoryQuery query, CancellationToken cancellationToken) =>
        Safely(() => HistoryPrinter.PrintAsync(client, query, context, cancellationToken));

    private async Task Safely(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is JournalUnavailableException or JournalRequestException or FormatException)
        {
            context.Error.WriteLine(e.Message);
        }
    }
}
