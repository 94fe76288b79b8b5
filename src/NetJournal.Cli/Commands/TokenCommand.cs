using System.CommandLine;
using NetJournal.Client;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal token`: prints on standard output the web view's token of a key on this machine
/// (<see cref="WebToken"/>: derived from the key, never the key), to paste in the page or send as
/// <c>Authorization: Bearer TOKEN</c>. The key is found as client commands find theirs (<see cref="KeyFolder.Choose"/>):
/// --key PATH, else the key of --name (or $NETJOURNAL_NAME), else the only key in the keys folder.
/// Exit 0 with the token; 1 when there is no key or it cannot be read; 2 for a wrong command line (among them
/// --key and --name naming two clients).
/// </summary>
public sealed class TokenCommand : Command
{
    public TokenCommand(CliContext context)
        : base("token", "Print the web view's token for your key (derived from the key, never the key): paste it in the page when it asks, or send it as Authorization: Bearer TOKEN")
    {
        Options.Add(ClientName);
        Options.Add(Key);
        SetAction(async (parse, _) =>
        {
            var name = parse.GetValue(ClientName) ?? (context.Environment("NETJOURNAL_NAME") is { Length: > 0 } env ? env.Trim() : null);
            ClientKeyFile? key;
            try
            {
                key = KeyFolder.Choose(parse.GetValue(Key), name, context.Environment);
            }
            catch (FormatException e)
            {
                // Several keys and no name: the command line must say which.
                await context.Error.WriteLineAsync($"netjournal token: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"netjournal token: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            if (key is null)
            {
                var folder = KeyFolder.Path(context.Environment);
                await context.Error.WriteLineAsync(name is null
                    ? $"netjournal token: there is no key in {folder}: make one with `netjournal keygen NAME`, or give --key PATH"
                    : $"netjournal token: there is no key for '{name}' in {folder}: make one with `netjournal keygen {name}`, or give --key PATH").ConfigureAwait(false);
                return 1;
            }
            // --key and --name naming two clients: which one was meant is not for us to guess.
            if (parse.GetValue(Key) is not null && parse.GetValue(ClientName) is { } given && !string.Equals(given.Trim(), key.Name, StringComparison.Ordinal))
            {
                await context.Error.WriteLineAsync($"netjournal token: the key {key.Path} is {key.Name}'s, not '{given}': give --key or --name alone, or both for the same client").ConfigureAwait(false);
                return 2;
            }
            await context.Out.WriteLineAsync(WebToken.Derive(key.Name, key.Key)).ConfigureAwait(false);
            await context.Error.WriteLineAsync($"the web view's token for {key.Name} (key {key.Path}); whoever has it uses the web view as {key.Name}, with its rights, so keep it private").ConfigureAwait(false);
            return 0;
        });
    }

    public Option<string?> ClientName { get; } = new("--name", "-n")
    {
        Description = "Whose key: the key of this name in your config folder's netjournal/keys (default $NETJOURNAL_NAME, or the only key there)",
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The key file to derive the token from",
    };
}
