using System.CommandLine;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>
/// Options every client command shares (they may stand anywhere on the command line), and the client they make.
/// </summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = "The server as HOST:PORT (default 127.0.0.1:9527, or $NETJOURNAL_SERVER)",
        Recursive = true,
    };

    public Option<string?> Name { get; } = new("--name", "-n")
    {
        Description = "The name your notes are stored under (default user@hostname, or $NETJOURNAL_NAME)",
        Recursive = true,
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to keep retrying before reporting that the server does not answer",
        DefaultValueFactory = _ => 10,
        Recursive = true,
    };

    public Option<int> MaxRate { get; } = MaxRateOption();

    /// <summary>Every option above, in the order help lists them.</summary>
    public IEnumerable<Option> All => [Server, Name, Timeout, MaxRate];

    /// <summary>
    /// Runs <paramref name="action"/> with a client built from these options and the environment, and turns what
    /// goes wrong into a line on standard error and an exit code: 2 for a server address that does not parse, 1 when
    /// the server does not answer or refuses; otherwise the action's own code.
    /// </summary>
    public async Task<int> RunWithClientAsync(ParseResult parse, CliContext context, Func<JournalClient, Task<int>> action)
    {
        JournalClient client;
        try
        {
            client = CreateClient(parse, context);
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

    /// <summary>A client of --server (or $NETJOURNAL_SERVER, or the default) writing as --name.</summary>
    /// <exception cref="FormatException">The server address does not parse or resolve.</exception>
    private JournalClient CreateClient(ParseResult parse, CliContext context)
    {
        var server = parse.GetValue(Server) ?? context.Environment("NETJOURNAL_SERVER") ?? ServerAddress.Default;
        return new JournalClient(ServerAddress.Parse(server), new JournalClientOptions
        {
            Name = NameOf(parse, context),
            GiveUpAfter = TimeSpan.FromSeconds(Math.Max(0.5, parse.GetValue(Timeout))),
            MaxDatagramsPerSecond = parse.GetValue(MaxRate),
        });
    }

    /// <summary>--name, else $NETJOURNAL_NAME, else user@hostname.</summary>
    private string NameOf(ParseResult parse, CliContext context)
    {
        var name = parse.GetValue(Name) ?? context.Environment("NETJOURNAL_NAME");
        return string.IsNullOrWhiteSpace(name) ? $"{System.Environment.UserName}@{System.Environment.MachineName}" : name.Trim();
    }

    private static Option<int> MaxRateOption()
    {
        var option = new Option<int>("--max-rate")
        {
            Description = "Most datagrams a second to send (0: as fast as possible); keep it below the server's --rate-limit",
            DefaultValueFactory = _ => JournalClientOptions.DefaultMaxDatagramsPerSecond,
            Recursive = true,
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--max-rate takes a number of datagrams a second, 0 or more (0 sends as fast as possible)");
        });
        return option;
    }
}
