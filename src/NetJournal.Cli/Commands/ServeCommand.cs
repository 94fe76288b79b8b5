using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetJournal.Server;

namespace NetJournal.Cli.Commands;

/// <summary>`netjournal serve`: the server under the generic host, logging to standard error, stopped by Ctrl-C or SIGTERM.</summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(JournalServerOptions options, CliContext context, CancellationToken cancellationToken)
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
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<JournalServer>();
        builder.Services.AddSingleton<JournalHostedService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JournalHostedService>());
        using var host = builder.Build();
        // Taken before the run: RunAsync disposes the host's services when it returns.
        var server = host.Services.GetRequiredService<JournalServer>();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            // A loop that failed stopped the host (JournalHostedService): that is a failure of the command.
            if (server.Completion.Exception?.InnerException is not { } fault) return 0;
            await context.Error.WriteLineAsync($"netjournal serve: stopped because {fault.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException e)
        {
            await context.Error.WriteLineAsync($"netjournal serve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            await context.Error.WriteLineAsync($"netjournal serve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    public static IPAddress ParseBind(string text) => text switch
    {
        "*" or "::" or "any" => IPAddress.IPv6Any,
        "0.0.0.0" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.TryParse(text.Trim('[', ']'), out var ip) ? ip : throw new FormatException($"'{text}' is not an IP address to bind"),
    };

    /// <summary>Datagrams per second per source IP: 0 (off) up to a billion, so that the burst of twice that fits an int.</summary>
    public static int CheckRateLimit(int perSecond) => perSecond is >= 0 and <= 1_000_000_000
        ? perSecond
        : throw new FormatException($"--rate-limit {perSecond}: give datagrams per second per source IP, 0 (no limit) to 1000000000");

    public static int CheckMaxBatch(int notes) => notes is >= 1 and <= JournalServerOptions.MaxMaxBatchNotes
        ? notes
        : throw new FormatException($"--max-batch {notes}: give the most notes per write and fsync, 1 to {JournalServerOptions.MaxMaxBatchNotes}");

    /// <summary>Comma-separated CIDR networks; an empty list allows no one. A bare IP means that one address.</summary>
    public static List<IPNetwork> ParseNetworks(string text)
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
