using NetJournal.Client;

namespace NetJournal.Cli;

/// <summary>
/// Where client keys live by default: <c>netjournal/keys/NAME.key</c> under the user's config folder
/// (<see cref="Environment.SpecialFolder.ApplicationData"/>: <c>$XDG_CONFIG_HOME</c> or <c>~/.config</c> on Linux), and
/// which key a client command takes by itself: <c>--key PATH</c>; else the key of its name (<c>--name</c> or
/// <c>$NETJOURNAL_NAME</c>) when there is one; else, with no name given, the only key in the folder; else none.
/// </summary>
public static class KeyFolder
{
    /// <summary>The folder, from <paramref name="environment"/>'s XDG_CONFIG_HOME when set (so tests can point it elsewhere).</summary>
    public static string Path(Func<string, string?> environment)
    {
        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        return System.IO.Path.Combine(config, "netjournal", "keys");
    }

    /// <summary>The default key file of <paramref name="name"/>.</summary>
    public static string FileOf(string name, Func<string, string?> environment) => System.IO.Path.Combine(Path(environment), name + ".key");

    /// <summary>The key a client command uses, as the class says; null when it goes without.</summary>
    /// <exception cref="InvalidDataException">The key file chosen is readable by others or is not a key file.</exception>
    /// <exception cref="IOException">The key file chosen cannot be read, or --key names no file.</exception>
    /// <exception cref="FormatException">No name was given and the folder holds several keys: which one is not for us to guess.</exception>
    public static ClientKeyFile? Choose(string? keyPath, string? name, Func<string, string?> environment)
    {
        if (keyPath is not null)
            return File.Exists(keyPath) ? ClientKeyFile.Read(keyPath) : throw new IOException($"there is no key file at {keyPath}");
        if (name is not null)
        {
            // A name that is not a plain file name has no key file here (and never reaches outside the folder).
            if (!IsFileName(name)) return null;
            var own = FileOf(name, environment);
            return File.Exists(own) ? ClientKeyFile.Read(own) : null;
        }
        var folder = Path(environment);
        if (!Directory.Exists(folder)) return null;
        var keys = Directory.GetFiles(folder, "*.key");
        if (keys.Length > 1)
            throw new FormatException($"{folder} holds {keys.Length} keys ({string.Join(", ", keys.Select(System.IO.Path.GetFileNameWithoutExtension).Order())}): choose one with --name or --key");
        return keys.Length == 1 ? ClientKeyFile.Read(keys[0]) : null;
    }

    /// <summary>Whether <paramref name="name"/> can be a key file's name in the folder: no path separator, not starting with a dot.</summary>
    public static bool IsFileName(string name) =>
        name.Length > 0 && name[0] != '.' && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
