using System.CommandLine;

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
}
