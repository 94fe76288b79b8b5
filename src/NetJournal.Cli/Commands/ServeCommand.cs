using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetJournal.Server;
using NetJournal.Web;
using NetJournal.Server.Bot;
using NetJournal.Storage.PostgreSql;

namespace NetJournal.Cli.Commands;

/// <summary>`netjournal serve`: the server under the generic host, logging to standard error, stopped by Ctrl-C or SIGTERM.</summary>
public sealed class ServeCommand : Command
{
    /// <summary>Declares where and how to serve, and the action that runs the server until it is stopped.</summary>
    public ServeCommand(CliContext context)
        : base("serve", "Run the server: listen on UDP and keep the journal in DATA/journal.jsonl")
    {
        foreach (var option in new Option[] { Port, Bind, Data, Store, StorePasswordFile, Init, PlainHistoryAllow, RateLimit, MaxBatch, Forward, Clients, AllowPlain, BotUrl, BotModel, BotTimeout }) Options.Add(option);
        Options.Add(Http);
        SetAction(async (parse, ct) =>
        {
            JournalServerOptions options;
            WebViewOptions? web;
            PostgresLocation? store;
            try
            {
                options = Read(parse, context.Environment(BotKeyVariable));
                web = parse.GetValue(Http) is { } http ? new WebViewOptions { EndPoint = http } : null;
                store = ReadStore(parse, options);
            }
            catch (FormatException e)
            {
                await context.Error.WriteLineAsync($"netjournal serve: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            if (parse.GetValue(Init)) return await StoreCommands.InitAsync(store, context).ConfigureAwait(false);
            return await RunAsync(options, context, ct, web).ConfigureAwait(false);
        });
    }

    public Option<int> Port { get; } = new("--port", "-p")
    {
        Description = "UDP port to listen on (0: any free port, logged on start)",
        DefaultValueFactory = _ => JournalServerOptions.DefaultPort,
        CustomParser = OptionValues.Integer(0, 65535, "takes a UDP port, 0 to 65535 (0: any free port)"),
    };

    public Option<string> Bind { get; } = new("--bind", "-b")
    {
        Description = "Address to listen on: :: (every IPv6 and IPv4 address), 0.0.0.0, 127.0.0.1, ::1, ...",
        DefaultValueFactory = _ => "::",
    };

    public Option<string> Data { get; } = new("--data", "-d") { Description = "Folder of the journal file", DefaultValueFactory = _ => "./netjournal-data" };

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "Keep the journal in PostgreSQL instead of DATA: postgresql://USER@HOST:PORT/DB or an Npgsql connection string (password from $PGPASSWORD or --store-password-file); several servers may share one",
    };

    public Option<string?> StorePasswordFile { get; } = new("--store-password-file")
    {
        Description = "A file whose first line is the PostgreSQL password",
    };

    public Option<bool> Init { get; } = new("--init")
    {
        Description = "With --store: create the journal's tables (if missing), say so, and exit without serving",
    };

    public Option<string> PlainHistoryAllow { get; } = new("--plain-history-allow")
    {
        Description = "Networks (CIDR, comma-separated) whose plain-text 'r' request gets the history; others are dropped",
        DefaultValueFactory = _ => "127.0.0.0/8,::1/128",
    };

    public Option<int> RateLimit { get; } = new("--rate-limit")
    {
        Description = "Datagrams per second accepted from one source IP (any port), with bursts of twice that (a history page request with a token counts as a quarter); more are dropped. 0 = no limit",
        DefaultValueFactory = _ => JournalServerOptions.DefaultRateLimitPerSource,
        CustomParser = OptionValues.Integer(int.MinValue, int.MaxValue, "takes datagrams per second per source IP, 0 (no limit) to 1000000000"),
    };

    public Option<int> MaxBatch { get; } = new("--max-batch")
    {
        Description = "Most notes stored with one write and one fsync. Smaller: a typed note waits less behind bulk writes; larger: more bulk notes a second",
        DefaultValueFactory = _ => JournalServerOptions.DefaultMaxBatchNotes,
        CustomParser = OptionValues.Integer(int.MinValue, int.MaxValue, $"takes the most notes per write and fsync, 1 to {JournalServerOptions.MaxMaxBatchNotes}"),
    };

    public Option<string[]> Forward { get; } = new("--forward")
    {
        Description = "Also send every stored note to a syslog receiver, syslog://HOST:PORT (RFC 5424 over UDP); may be given more than once",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Clients { get; } = new("--clients")
    {
        Description = "Keys on: the clients file (one line per client: NAME KEY RIGHTS, as netjournal keygen prints it; owner-only). Read again when it changes and on SIGHUP",
    };

    public Option<string> AllowPlain { get; } = new("--allow-plain")
    {
        Description = "With --clients: networks (CIDR, comma-separated) whose plain-text and syslog notes are still taken, stored under [name] as unauthenticated",
        DefaultValueFactory = _ => "",
    };

    public Option<IPEndPoint?> Http { get; } = new("--http")
    {
        Description = "Also serve the web view (page, API, live events) on TCP ADDRESS:PORT; a port alone means loopback (127.0.0.1). Off by default",
        CustomParser = r => WebViewOptions.TryParseEndPoint(OptionValues.Token(r), out var endPoint)
            ? endPoint
            : OptionValues.Fail<IPEndPoint?>(r, WebViewOptions.EndPointForms),
    };

    /// <summary>The environment variable the key of --bot-url's endpoint is read from (never a command-line word, which others can see).</summary>
    public const string BotKeyVariable = "NETJOURNAL_BOT_KEY";

    public Option<string> BotUrl { get; } = new("--bot-url")
    {
        Description = "Make the bot an OpenAI-compatible chat-completions endpoint, such as http://127.0.0.1:8080 or https://api.openai.com/v1 (key from $NETJOURNAL_BOT_KEY); without it, the built-in bot answers",
    };

    public Option<string> BotModel { get; } = new("--bot-model") { Description = "The model --bot-url's endpoint is asked for" };

    public Option<double> BotTimeout { get; } = new("--bot-timeout")
    {
        Description = "Seconds the bot may take to answer a question; then the asker is told it did not answer in time",
        DefaultValueFactory = _ => 30,
        CustomParser = OptionValues.Seconds(0.1, 3600, "takes seconds, 0.1 to 3600"),
    };

    /// <summary>The server's options from a parse of this command; <paramref name="botKey"/> is $NETJOURNAL_BOT_KEY.</summary>
    /// <exception cref="FormatException">An address, network, forward target, rate, batch size or bot endpoint is out of bounds.</exception>
    public JournalServerOptions Read(ParseResult parse, string? botKey = null) => new()
    {
        Port = parse.GetValue(Port),
        Bind = ParseBind(parse.GetValue(Bind)!),
        DataDirectory = parse.GetValue(Data)!,
        PlainHistoryAllow = ParseNetworks(parse.GetValue(PlainHistoryAllow)!),
        Forward = [.. (parse.GetValue(Forward) ?? []).Select(ForwardTarget.Parse)],
        RateLimitPerSource = CheckRateLimit(parse.GetValue(RateLimit)),
        RateLimitBurst = 2 * parse.GetValue(RateLimit),
        MaxBatchNotes = CheckMaxBatch(parse.GetValue(MaxBatch)),
        ClientsFile = parse.GetValue(Clients),
        AllowPlain = CheckAllowPlain(ParseNetworks(parse.GetValue(AllowPlain)!), parse.GetValue(Clients)),
        Bot = ReadBot(parse, botKey),
    };

    /// <summary>The built-in bot, or --bot-url's endpoint with --bot-model (each needs the other).</summary>
    /// <exception cref="FormatException">--bot-url is not an http(s) URL, or one of --bot-url and --bot-model is missing.</exception>
    private BotOptions ReadBot(ParseResult parse, string? key)
    {
        var timeout = TimeSpan.FromSeconds(parse.GetValue(BotTimeout));
        var url = parse.GetValue(BotUrl);
        var model = parse.GetValue(BotModel);
        if (url is null && model is null) return new BotOptions { Timeout = timeout };
        if (url is null) throw new FormatException("--bot-model needs --bot-url, the endpoint to ask");
        if (string.IsNullOrWhiteSpace(model)) throw new FormatException("--bot-url needs --bot-model, the model to ask for");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new FormatException($"--bot-url takes an http:// or https:// URL, not '{url}'");
        return new BotOptions
        {
            Timeout = timeout,
            Description = $"{model} at {EndpointBot.ApiBase(uri)}",
            // The HTTP request may run a little past the bot's timeout, which answers the asker first.
            Create = (store, time) => new EndpointBot(uri, model, key, store, time, timeout + TimeSpan.FromSeconds(5)),
        };
    }

    private static List<IPNetwork> CheckAllowPlain(List<IPNetwork> networks, string? clients) => networks.Count == 0 || clients is not null
        ? networks
        : throw new FormatException("--allow-plain goes with --clients: without keys every plain-text and syslog datagram is taken already");

    /// <summary>The PostgreSQL journal of --store, wired into <paramref name="options"/>; null without --store.</summary>
    /// <exception cref="FormatException">--store does not parse, --init or --store-password-file without it, or the password file cannot be read.</exception>
    internal PostgresLocation? ReadStore(ParseResult parse, JournalServerOptions options)
    {
        if (parse.GetValue(Store) is not { } text)
        {
            if (parse.GetValue(Init)) throw new FormatException("--init needs --store (the file journal is created on first start)");
            if (parse.GetValue(StorePasswordFile) is not null) throw new FormatException("--store-password-file needs --store");
            return null;
        }
        var location = PostgresLocation.Parse(text, parse.GetValue(StorePasswordFile));
        options.OpenStore = time => PostgresJournalStore.Open(location, time);
        return location;
    }

    /// <summary>
    /// Runs the server until <paramref name="cancellationToken"/>, Ctrl-C or SIGTERM; 1 when it cannot start (port
    /// taken, folder not usable, journal unreadable, another server on the folder, address not on this machine) or a
    /// loop fails, said in exactly one line <c>netjournal serve: …</c> on <see cref="CliContext.Error"/>.
    /// </summary>
    /// <param name="web">The web view to serve beside the server, or null for none.</param>
    internal static async Task<int> RunAsync(JournalServerOptions options, CliContext context, CancellationToken cancellationToken, WebViewOptions? web = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            o.ColorBehavior = Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled;
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        // The host logs a failed start as a long error with the exception and its stack; the failure is said once, below.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // Kestrel's own start and per-request lines; the web view logs its address itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<JournalServer>();
        builder.Services.AddSingleton<JournalHostedService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JournalHostedService>());
        if (web is not null)
        {
            // The feed is a commit listener of the server; the view starts after the server and stops before it.
            var feed = new NoteFeed();
            options.CommitListeners.Add(feed);
            builder.Services.AddSingleton(services =>
            {
                var server = services.GetRequiredService<JournalServer>();
                // With keys on, each request is checked against the clients file as it reads now (reloads apply at once).
                var view = options.ClientsFile is null ? web : web with { Access = new KeyedWebAccess(name => server.Clients?.File.FindByName(name)) };
                return new WebView(server, feed, view, services.GetRequiredService<ILoggerFactory>());
            });
            builder.Services.AddHostedService(services => new WebViewHostedService(services.GetRequiredService<WebView>()));
        }
        using var host = builder.Build();
        // Taken before the run: RunAsync disposes the host's services when it returns.
        var server = host.Services.GetRequiredService<JournalServer>();
        // SIGHUP would end the process by default; with keys on it reads the clients file again. Registered for the
        // host's whole run and released only after it, so no signal's handling ever sees it go.
        using var hangup = options.ClientsFile is null || OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            server.Clients?.RequestReload("SIGHUP");
        });
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            // A loop that failed stopped the host (JournalHostedService): that is a failure of the command.
            if (server.Completion.Exception?.InnerException is not { } fault) return 0;
            await context.Error.WriteLineAsync($"netjournal serve: stopped because {fault.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            // Whatever stopped the start (an IOException from the store or the socket, most often): its message only,
            // never the exception's type or stack, which say nothing to the person starting a server.
            await context.Error.WriteLineAsync($"netjournal serve: {OneLine(e)}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The message of <paramref name="e"/> (of each exception inside an aggregate), on one line.</summary>
    internal static string OneLine(Exception e)
    {
        var messages = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.Select(inner => inner.Message) : [e.Message];
        var text = string.Join("; ", messages.Distinct());
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>--bind: an IP address, or ::, *, any, 0.0.0.0, localhost.</summary>
    /// <exception cref="FormatException">Not an IP address.</exception>
    private static IPAddress ParseBind(string text) => text switch
    {
        "*" or "::" or "any" => IPAddress.IPv6Any,
        "0.0.0.0" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.TryParse(text.Trim('[', ']'), out var ip) ? ip : throw new FormatException($"'{text}' is not an IP address to bind"),
    };

    /// <summary>Datagrams per second per source IP: 0 (off) up to a billion, so that the burst of twice that fits an int.</summary>
    private static int CheckRateLimit(int perSecond) => perSecond is >= 0 and <= 1_000_000_000
        ? perSecond
        : throw new FormatException($"--rate-limit {perSecond}: give datagrams per second per source IP, 0 (no limit) to 1000000000");

    private static int CheckMaxBatch(int notes) => notes is >= 1 and <= JournalServerOptions.MaxMaxBatchNotes
        ? notes
        : throw new FormatException($"--max-batch {notes}: give the most notes per write and fsync, 1 to {JournalServerOptions.MaxMaxBatchNotes}");

    /// <summary>Comma-separated CIDR networks; an empty list allows no one. A bare IP means that one address.</summary>
    private static List<IPNetwork> ParseNetworks(string text)
    {
        var networks = new List<IPNetwork>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(part, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(part, out var ip)) networks.Add(new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else throw new FormatException($"'{part}' is not a network in CIDR form (such as 192.168.1.0/24)");
        }
        return networks;
    }
}
