using System.Text;
using NetJournal.Protocol;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Server.Keys;

/// <summary>
/// The server's clients file (<c>netjournal serve --clients FILE</c>), read whole: one client a line,
/// <c>NAME KEY RIGHTS</c> separated by spaces or tabs, as <c>netjournal keygen</c> prints it; RIGHTS is a comma list of
/// <c>write</c>, <c>read-all</c>, <c>read-own</c> and <c>none</c>, where the narrower right wins (<c>read-own</c> over
/// <c>read-all</c>, <c>none</c> over everything). Blank lines and lines starting with <c>#</c> are skipped. A name is
/// 1 to 128 bytes of UTF-8 without spaces, and may not start with <c>[</c> (the mark of unauthenticated notes).
/// The file must not be readable or writable by group or others.
/// </summary>
public sealed class ClientsFile
{
    private readonly Dictionary<string, KeyedClient> _byKeyId;
    private readonly Dictionary<string, KeyedClient> _byName;

    private ClientsFile(string path, List<KeyedClient> clients)
    {
        Path = path;
        Clients = clients;
        _byKeyId = clients.ToDictionary(c => Convert.ToHexString(c.Key.Id), StringComparer.Ordinal);
        _byName = clients.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public string Path { get; }
    public IReadOnlyList<KeyedClient> Clients { get; }

    /// <summary>The client whose key has the id <paramref name="keyId"/> (<see cref="ClientKey.Id"/>), or null.</summary>
    public KeyedClient? Find(ReadOnlySpan<byte> keyId) => _byKeyId.GetValueOrDefault(Convert.ToHexString(keyId));

    /// <summary>The client named <paramref name="name"/> (names are unique in the file, compared as written), or null.</summary>
    public KeyedClient? FindByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Whether <paramref name="client"/> is still in this file with the same name, key and rights (keys compared in constant time).</summary>
    public KeyedClient? Current(KeyedClient client) =>
        Find(client.Key.Id) is { } now && now.Key.SameAs(client.Key) ? now : null;

    /// <summary>Reads and checks the file.</summary>
    /// <exception cref="InvalidDataException">The file is readable by others, or a line is malformed (named by its number), or a name or key appears twice.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ClientsFile Load(string path)
    {
        CheckPermissions(path);
        var lines = File.ReadAllLines(path, new UTF8Encoding(false, true));
        var clients = new List<KeyedClient>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var client = ParseLine(path, i + 1, line);
            if (!names.Add(client.Name)) throw Bad(path, i + 1, $"the name '{client.Name}' is already on an earlier line");
            if (clients.Any(c => c.Key.SameAs(client.Key))) throw Bad(path, i + 1, "this key is already on an earlier line");
            clients.Add(client);
        }
        return new ClientsFile(path, clients);
    }

    /// <summary>The line <c>netjournal keygen</c> prints: name, key and rights, in the form <see cref="Load"/> reads.</summary>
    public static string FormatLine(string name, ClientKey key, string rights) => $"{name} {key} {rights}";

    /// <summary>Why <paramref name="name"/> cannot be a keyed client's name, or null when it can.</summary>
    public static string? CheckName(string name)
    {
        if (name.Length == 0) return "a name is 1 to 128 bytes";
        if (NoteRules.CheckName(name) != ErrorCode.None) return $"a name is 1 to {ProtocolConstants.MaxNameBytes} bytes of UTF-8 on one line";
        if (name.Any(char.IsWhiteSpace)) return "a name in the clients file has no spaces";
        if (name[0] is '[' or '#') return "a name may not start with '[' or '#'";
        return null;
    }

    private static KeyedClient ParseLine(string path, int number, string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3) throw Bad(path, number, "expected NAME KEY RIGHTS (three fields)");
        if (CheckName(fields[0]) is { } why) throw Bad(path, number, why);
        var key = ClientKey.TryParse(fields[1]) ?? throw Bad(path, number, "the key is not a NetJournal key (nj1-..., as netjournal keygen prints it)");
        var rights = ParseRights(fields[2]) ?? throw Bad(path, number, $"'{fields[2]}' is not a list of rights (write, read-all, read-own, none)");
        return new KeyedClient(fields[0], key, rights, number);
    }

    /// <summary>A comma list of rights; null when a word is not one. <c>none</c> wins over every other, <c>read-own</c> over <c>read-all</c>.</summary>
    public static ClientRights? ParseRights(string text)
    {
        var rights = ClientRights.None;
        var none = false;
        foreach (var word in text.Split(',', StringSplitOptions.TrimEntries))
        {
            switch (word)
            {
                case "write": rights |= ClientRights.Write; break;
                case "read-all": rights |= ClientRights.ReadAll; break;
                case "read-own": rights |= ClientRights.ReadOwn; break;
                case "none": none = true; break;
                default: return null;
            }
        }
        if (none) return ClientRights.None;
        return (rights & ClientRights.ReadOwn) != 0 ? rights & ~ClientRights.ReadAll : rights;
    }

    private static void CheckPermissions(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((mode & others) != 0)
            throw new InvalidDataException($"the clients file {path} is readable or writable by others (mode {Convert.ToString((int)mode & 0x1FF, 8)}); keys must stay private: chmod 600 {path}");
    }

    private static InvalidDataException Bad(string path, int line, string why) => new($"{path} line {line}: {why}");
}
