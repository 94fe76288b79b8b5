using System.CommandLine;
using System.CommandLine.Parsing;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Cli.Commands;

/// <summary>
/// Options every client command shares, and the client they make. Each client command (the session, write, history,
/// clients) declares them itself rather than inheriting them from the root, so `serve --help` does not list them and
/// `serve` does not take them; the root's own copy still lets them stand before the command (`netjournal -s HOST history`).
/// </summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = "The server as HOST:PORT (default 127.0.0.1:9527, or $NETJOURNAL_SERVER); several that share one journal as HOST:PORT,HOST:PORT, tried in turn when one does not answer",
    };

    /// <summary>Trimmed; refused when empty, more than 128 bytes of UTF-8 or more than one line (the protocol's rule for a name).</summary>
    public Option<string?> Name { get; } = new("--name", "-n")
    {
        Description = "The name your notes are stored under, 1 to 128 bytes (default user@hostname, or $NETJOURNAL_NAME)",
        CustomParser = ParseName,
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to keep retrying before reporting that the server does not answer",
        DefaultValueFactory = _ => 10,
        CustomParser = OptionValues.Seconds,
    };

    public Option<int> MaxRate { get; } = new("--max-rate")
    {
        Description = "Most datagrams a second to send (0: as fast as possible); keep it below the server's --rate-limit",
        DefaultValueFactory = _ => JournalClientOptions.DefaultMaxDatagramsPerSecond,
        CustomParser = OptionValues.Integer(0, int.MaxValue, "takes a number of datagrams a second, 0 or more (0 sends as fast as possible)"),
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The key file to seal datagrams with (default: the key of --name, or the only key, in your config folder's netjournal/keys)",
    };

    /// <summary>Every option above, in the order help lists them.</summary>
    public IEnumerable<Option> All => [Server, Name, Timeout, MaxRate, Key];

    /// <summary>Adds every option above to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

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
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // The key file chosen cannot be used: going on without it would send in clear what was meant to be sealed.
            await context.Error.WriteLineAsync($"netjournal: {e.Message}").ConfigureAwait(false);
            return 1;
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
    /// <exception cref="FormatException">The server address does not parse or resolve, or $NETJOURNAL_NAME is not a name.</exception>
    /// <exception cref="IOException">The key file chosen cannot be read (<see cref="KeyFolder.Choose"/>).</exception>
    /// <exception cref="InvalidDataException">The key file chosen is readable by others or is not a key file.</exception>
    private JournalClient CreateClient(ParseResult parse, CliContext context)
    {
        var servers = ServerAddress.ParseList(parse.GetValue(Server) ?? context.Environment("NETJOURNAL_SERVER") ?? ServerAddress.Default);
        var server = servers[0];
        var givenName = parse.GetValue(Name) ?? (context.Environment("NETJOURNAL_NAME") is { Length: > 0 } env ? env.Trim() : null);
        var key = KeyFolder.Choose(parse.GetValue(Key), givenName, context.Environment);
        var options = new JournalClientOptions
        {
            // With a key, the server stores notes under the name in its clients file, which keygen made the key file's.
            Name = key is not null && givenName is null ? key.Name : NameOf(parse, context),
            GiveUpAfter = TimeSpan.FromSeconds(Math.Max(0.5, parse.GetValue(Timeout))),
            MaxDatagramsPerSecond = parse.GetValue(MaxRate),
        };
        if (key is null && servers.Count == 1) return new JournalClient(server, options);
        if (key is not null && !System.Net.IPAddress.IsLoopback(server.Address))
        {
            // Sealing adds its overhead to each datagram: off loopback they still fit the 1,232 bytes that never fragment.
            options.MaxReply = ProtocolConstants.DefaultMaxReply - Protocol.Sealing.SealedDatagram.Overhead;
            options.MaxAppendBytes = ProtocolConstants.DefaultMaxReply - Protocol.Sealing.SealedDatagram.Overhead;
        }
        // One path per server (sealed with the key, if any); several front ends of one journal share one client (one
        // instance, one numbering) through the failover transport.
        var paths = new List<IDatagramTransport>();
        try
        {
            foreach (var each in servers)
            {
                var udp = new UdpDatagramTransport(each);
                paths.Add(key is null ? udp : new SealedDatagramTransport(udp, key.Key));
            }
        }
        catch
        {
            foreach (var path in paths) path.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return new JournalClient(server, paths.Count == 1 ? paths[0] : new FailoverDatagramTransport(paths), options);
    }

    /// <summary>--name, else $NETJOURNAL_NAME, else user@hostname.</summary>
    /// <exception cref="FormatException">$NETJOURNAL_NAME is not a name the protocol takes.</exception>
    private string NameOf(ParseResult parse, CliContext context)
    {
        if (parse.GetValue(Name) is { } given) return given;
        var name = context.Environment("NETJOURNAL_NAME");
        if (string.IsNullOrWhiteSpace(name)) return $"{System.Environment.UserName}@{System.Environment.MachineName}";
        return CheckName(name) is { } why ? throw new FormatException($"$NETJOURNAL_NAME {why}") : name.Trim();
    }

    private static string? ParseName(ArgumentResult r)
    {
        var token = OptionValues.Token(r);
        if (CheckName(token) is not { } why) return token.Trim();
        r.AddError($"--name {why}");
        return null;
    }

    /// <summary>Why <paramref name="name"/> cannot be a client name (after trimming), or null when it can.</summary>
    private static string? CheckName(string name)
    {
        name = name.Trim();
        if (name.Length == 0) return "takes a name, not an empty one or only spaces";
        if (NoteRules.CheckName(name) == ErrorCode.None) return null;
        return name.AsSpan().IndexOfAny('\r', '\n') >= 0
            ? "takes a name on one line"
            : $"takes a name of at most {ProtocolConstants.MaxNameBytes} bytes of UTF-8 ({System.Text.Encoding.UTF8.GetByteCount(name)} given)";
    }
}
