using System.CommandLine;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>Builds a JournalClient from the global options and the environment.</summary>
public static class ClientFactory
{
    public static JournalClient Create(ParseResult parse, GlobalOptions options, CliContext context)
    {
        var server = parse.GetValue(options.Server) ?? context.Environment("NETJOURNAL_SERVER") ?? ServerAddress.Default;
        return new JournalClient(ServerAddress.Parse(server), new JournalClientOptions
        {
            Name = NameOf(parse, options, context),
            GiveUpAfter = TimeSpan.FromSeconds(Math.Max(0.5, parse.GetValue(options.Timeout))),
            MaxDatagramsPerSecond = parse.GetValue(options.MaxRate),
        });
    }

    public static string NameOf(ParseResult parse, GlobalOptions options, CliContext context)
    {
        var name = parse.GetValue(options.Name) ?? context.Environment("NETJOURNAL_NAME");
        return string.IsNullOrWhiteSpace(name) ? $"{System.Environment.UserName}@{System.Environment.MachineName}" : name.Trim();
    }
}
