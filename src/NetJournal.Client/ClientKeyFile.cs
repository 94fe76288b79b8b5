using System.Text;
using NetJournal.Protocol.Sealing;

namespace NetJournal.Client;

/// <summary>
/// A client's key file, as <c>netjournal keygen NAME</c> writes it: one line, <c>NAME KEY</c> (the clients file's
/// line without the rights), readable by its owner only (mode 0600), as ssh insists for its private keys.
/// </summary>
public sealed record ClientKeyFile(string Name, ClientKey Key, string Path)
{
    /// <summary>Reads and checks a key file.</summary>
    /// <exception cref="InvalidDataException">The file is readable by others or does not hold <c>NAME KEY</c>.</exception>
    /// <exception cref="IOException">The file cannot be read (it does not exist, say).</exception>
    public static ClientKeyFile Read(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
                throw new InvalidDataException($"the key file {path} is readable or writable by others; keep it private: chmod 600 {path}");
        }
        var lines = File.ReadAllLines(path, new UTF8Encoding(false, true)).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        var fields = lines.Count == 1 ? lines[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) : [];
        if (fields.Length != 2 || ClientKey.TryParse(fields[1]) is not { } key)
            throw new InvalidDataException($"{path} is not a NetJournal key file (one line: NAME nj1-..., as netjournal keygen writes it)");
        return new ClientKeyFile(fields[0], key, path);
    }

    /// <summary>Writes a new key file, owner-only (0600), in a folder made owner-only (0700) when it is new.</summary>
    /// <exception cref="IOException">The file exists already (a key is never overwritten), or cannot be written.</exception>
    public static void Write(string path, string name, ClientKey key)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write($"{name} {key}\n");
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
