using System.CommandLine;
using NetJournal.Client;
using NetJournal.Protocol.Sealing;
using NetJournal.Server.Keys;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `netjournal keygen NAME`: makes a client key, saves it owner-only (the key folder, or --key PATH) and prints on
/// standard output the one line the server's owner adds to the clients file (name, key, rights).
/// </summary>
public sealed class KeygenCommand : Command
{
    public KeygenCommand(CliContext context)
        : base("keygen", "Make a client key, save it where clients find it, and print the line to add to the server's clients file")
    {
        Arguments.Add(ClientName);
        Options.Add(Key);
        Options.Add(Rights);
        SetAction(async (parse, _) =>
        {
            var name = parse.GetValue(ClientName)!;
            var path = parse.GetValue(Key) ?? KeyFolder.FileOf(name, context.Environment);
            try
            {
                ClientKeyFile.Write(path, name, ClientKey.Generate());
            }
            catch (IOException) when (File.Exists(path))
            {
                await context.Error.WriteLineAsync($"netjournal keygen: {path} exists already; a key is never overwritten (remove it first, or give --key PATH)").ConfigureAwait(false);
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"netjournal keygen: cannot write {path}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            var key = ClientKeyFile.Read(path);
            await context.Out.WriteLineAsync(ClientsFile.FormatLine(name, key.Key, parse.GetValue(Rights)!)).ConfigureAwait(false);
            await context.Error.WriteLineAsync($"key saved in {path} (owner-only); add the line above to the server's clients file (serve --clients FILE); `netjournal token` prints its token for the web view").ConfigureAwait(false);
            return 0;
        });
    }

    public Argument<string> ClientName { get; } = new("NAME")
    {
        Description = "The client's name: its notes are stored under it (1 to 128 bytes, no spaces)",
        Validators =
        {
            r =>
            {
                var name = r.Tokens[0].Value;
                if (ClientsFile.CheckName(name) is { } why) r.AddError($"NAME: {why}");
                // The name is also the key file's name in the keys folder: it must not lead outside it.
                else if (!KeyFolder.IsFileName(name)) r.AddError("NAME: it names the key file too, so it may not hold / or \\ or start with a dot");
            },
        },
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "Where to save the key (default: netjournal/keys/NAME.key in your config folder)",
    };

    public Option<string> Rights { get; } = new("--rights")
    {
        Description = "The rights printed in the line: write, read-all, read-own, none, comma-separated",
        DefaultValueFactory = _ => "write,read-all",
        Validators = { r => { if (r.Tokens.Count > 0 && ClientsFile.ParseRights(r.Tokens[0].Value) is null) r.AddError($"--rights '{r.Tokens[0].Value}': give write, read-all, read-own or none, comma-separated"); } },
    };
}
