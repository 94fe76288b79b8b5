using System.CommandLine;
using NetJournal.Cli.Commands;
using NetJournal.Client;
using NetJournal.Server;

namespace NetJournal.Cli;

/// <summary>The `netjournal` command tree.</summary>
public static class CliApp
{
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

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parse = Build(context).Parse(args);
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

    public static RootCommand Build(CliContext context)
    {
        var global = new GlobalOptions();
        var startLast = new Option<ulong?>("--last") { Description = "How many of the latest notes to show on start (default 1,000)" };
        var startAll = new Option<bool>("--all") { Description = "Show every past note on start" };
        var root = new RootCommand("NetJournal: a journal shared over UDP. With no command, shows the latest notes and stores each line you type as a note.")
        {
            global.Server, global.Name, global.Timeout, global.MaxRate, startLast, startAll,
        };

        var historyOptions = new HistoryOptions();
        var history = new Command("history", "Print past notes, filtered");
        foreach (var option in historyOptions.All_) history.Options.Add(option);
        history.SetAction((parse, ct) => WithClient(parse, global, context, async client =>
        {
            await HistoryPrinter.PrintAsync(client, historyOptions.Read(parse, context.Zone, 0), context, ct).ConfigureAwait(false);
            return 0;
        }));

        var words = new Argument<string[]>("text") { Description = "The note; without it, every line of standard input is one note", Arity = ArgumentArity.ZeroOrMore };
        var stats = new Option<bool>("--stats") { Description = "After writing, print to standard error the rate, retransmissions and acknowledgement latency (median, p90, p99, p99.9, max)" };
        var statsJson = new Option<bool>("--stats-json") { Description = "The same as one JSON object, with the latency buckets (for adding up several writers)" };
        var write = new Command("write", "Store one note (the words given) or one note per line of standard input") { words, stats, statsJson };
        write.SetAction(async (parse, ct) =>
        {
            if (WriteCommand.OptionLikeWord(parse, words) is { } option)
            {
                await context.Error.WriteLineAsync($"netjournal: {Messages.UnknownOption(option)}").ConfigureAwait(false);
                return 2;
            }
            return await WithClient(parse, global, context, client => WriteCommand.RunAsync(client, parse.GetValue(words) ?? [], context, ct,
                parse.GetValue(statsJson) ? OutputFormat.Json : parse.GetValue(stats) ? OutputFormat.Text : null)).ConfigureAwait(false);
        });

        var clientsFormat = new Option<OutputFormat>("--format", "-f") { Description = "text or json (JSON Lines)", DefaultValueFactory = _ => OutputFormat.Text };
        // The format enum is shared with history; csv and md exist only there.
        clientsFormat.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<OutputFormat>() is OutputFormat.Csv or OutputFormat.Md) r.AddError("clients --format takes text or json");
        });
        var clients = new Command("clients", "List every client that wrote: name, last address, notes, first and last time") { clientsFormat };
        clients.SetAction((parse, ct) => WithClient(parse, global, context, async client =>
        {
            await ClientsPrinter.PrintAsync(client, parse.GetValue(clientsFormat), context, ct).ConfigureAwait(false);
            return 0;
        }));

        var port = new Option<int>("--port", "-p") { Description = "UDP port to listen on", DefaultValueFactory = _ => JournalServerOptions.DefaultPort };
        var bind = new Option<string>("--bind", "-b") { Description = "Address to listen on: :: (every IPv6 and IPv4 address), 0.0.0.0, 127.0.0.1, ::1, ...", DefaultValueFactory = _ => "::" };
        var data = new Option<string>("--data", "-d") { Description = "Folder of the journal file", DefaultValueFactory = _ => "./netjournal-data" };
        var plainHistoryAllow = new Option<string>("--plain-history-allow")
        {
            Description = "Networks (CIDR, comma-separated) whose plain-text 'r' request gets the history; others are dropped",
            DefaultValueFactory = _ => "127.0.0.0/8,::1/128",
        };
        var rateLimit = new Option<int>("--rate-limit")
        {
            Description = "Datagrams per second accepted from one source IP (any port), with bursts of twice that (a history page request with a token counts as a quarter); more are dropped. 0 = no limit",
            DefaultValueFactory = _ => JournalServerOptions.DefaultRateLimitPerSource,
        };
        var maxBatch = new Option<int>("--max-batch")
        {
            Description = "Most notes stored with one write and one fsync. Smaller: a typed note waits less behind bulk writes; larger: more bulk notes a second",
            DefaultValueFactory = _ => JournalServerOptions.DefaultMaxBatchNotes,
        };
        var serve = new Command("serve", "Run the server: listen on UDP and keep the journal in DATA/journal.jsonl") { port, bind, data, plainHistoryAllow, rateLimit, maxBatch };
        var forward = new Option<string[]>("--forward")
        {
            Description = "Also send every stored note to a syslog receiver, syslog://HOST:PORT (RFC 5424 over UDP); may be given more than once",
            Arity = ArgumentArity.ZeroOrMore,
        };
        serve.Options.Add(forward);
        serve.SetAction(async (parse, ct) =>
        {
            JournalServerOptions options;
            try
            {
                options = new JournalServerOptions
                {
                    Port = parse.GetValue(port),
                    Bind = ServeCommand.ParseBind(parse.GetValue(bind)!),
                    DataDirectory = parse.GetValue(data)!,
                    PlainHistoryAllow = ServeCommand.ParseNetworks(parse.GetValue(plainHistoryAllow)!),
                    Forward = [.. (parse.GetValue(forward) ?? []).Select(ForwardTarget.Parse)],
                    RateLimitPerSource = ServeCommand.CheckRateLimit(parse.GetValue(rateLimit)),
                    RateLimitBurst = 2 * parse.GetValue(rateLimit),
                    MaxBatchNotes = ServeCommand.CheckMaxBatch(parse.GetValue(maxBatch)),
                };
            }
            catch (FormatException e)
            {
                await context.Error.WriteLineAsync($"netjournal serve: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            return await ServeCommand.RunAsync(options, context, ct).ConfigureAwait(false);
        });

        root.Subcommands.Add(serve);
        root.Subcommands.Add(write);
        root.Subcommands.Add(history);
        root.Subcommands.Add(clients);
        root.SetAction((parse, ct) => WithClient(parse, global, context, client =>
        {
            var last = parse.GetValue(startAll) ? 0 : parse.GetValue(startLast) ?? InteractiveSession.DefaultLast;
            var start = new HistoryQuery(Protocol.HistoryFilter.None, last, OutputFormat.Text, false);
            return new InteractiveSession(client, context, history, historyOptions).RunAsync(start, ct);
        }));
        return root;
    }

    private static async Task<int> WithClient(ParseResult parse, GlobalOptions global, CliContext context, Func<JournalClient, Task<int>> action)
    {
        JournalClient client;
        try
        {
            client = ClientFactory.Create(parse, global, context);
        }
        catch (FormatException e)
        {
            await context.Error.WriteLineAsync($"netjournal: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        await using (client.ConfigureAwait(false))
        {
            try
            {
                return await action(client).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JournalUnavailableException or JournalRequestException or FormatException)
            {
                await context.Error.WriteLineAsync($"netjournal: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }
    }
}
