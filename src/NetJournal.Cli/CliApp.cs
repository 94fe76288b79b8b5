using System.CommandLine;
using NetJournal.Cli.Commands;

namespace NetJournal.Cli;

/// <summary>
/// The `netjournal` command tree, composed of the commands in Commands/ (each declares its options and its action)
/// and the global client options.
/// </summary>
public static class CliApp
{
    /// <summary>Runs a command line against the real console; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var context = CliContext.FromConsole();
        try
        {
            return RunAsync(args, context).GetAwaiter().GetResult();
        }
        finally
        {
            context.Out.Flush();
        }
    }

    /// <summary>
    /// Runs a command line: 0 when it did what was asked, 1 when the server did not answer or refused, 2 when the
    /// command line was wrong (said on <see cref="CliContext.Error"/>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parse = Build(context).Parse(args, ParserConfiguration);
        if (parse.Errors.Count > 0)
        {
            // On standard error, so a redirected output holds data only; 2 says the command line was wrong.
            foreach (var error in parse.Errors) await context.Error.WriteLineAsync($"netjournal: {error.Message}").ConfigureAwait(false);
            var command = parse.CommandResult.Command is RootCommand ? "netjournal" : $"netjournal {parse.CommandResult.Command.Name}";
            await context.Error.WriteLineAsync(Messages.SeeHelp(command)).ConfigureAwait(false);
            return 2;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How every command line is parsed, the session's slash commands included. Response files are off: with them,
    /// System.CommandLine replaces a word such as <c>@team</c> by the contents of a file named <c>team</c>, so
    /// <c>netjournal write @team standup</c> could store a local file in the shared journal. <c>@word</c> is a word.
    /// </summary>
    public static ParserConfiguration ParserConfiguration => new() { ResponseFileTokenReplacer = null };

    /// <summary>The root command: the global options, the session it runs with no command, and the commands.</summary>
    public static RootCommand Build(CliContext context)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("NetJournal: a journal shared over UDP. With no command, shows the latest notes and stores each line you type as a note.");
        global.AddTo(root);
        var history = new HistoryCommand(global, context);
        new SessionCommand(global, history, context).AddTo(root);
        root.Subcommands.Add(new ServeCommand(context));
        root.Subcommands.Add(new WriteCommand(global, context));
        root.Subcommands.Add(history);
        root.Subcommands.Add(new FollowCommand(global, history, context));
        root.Subcommands.Add(new ClientsCommand(global, context));
        root.Subcommands.Add(new KeygenCommand(context));
        root.Subcommands.Add(new TokenCommand(context));
        root.Subcommands.Add(new AskCommand(global, context));
        root.Subcommands.Add(StoreCommands.Import(context));
        root.Subcommands.Add(StoreCommands.Export(context));
        return root;
    }
}
