using System.CommandLine;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>Options every client command shares; they may stand anywhere on the command line.</summary>
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
