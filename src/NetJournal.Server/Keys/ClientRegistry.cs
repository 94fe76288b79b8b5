using Microsoft.Extensions.Logging;

namespace NetJournal.Server.Keys;

/// <summary>
/// The clients file as it now reads: loaded at start (a bad file stops the start), then read again when it changes
/// (a <see cref="FileSystemWatcher"/> on its folder) and when asked (<c>netjournal serve</c> asks on SIGHUP), without a restart. A reload that fails keeps the
/// clients of the last good read and logs why. Sessions ask <see cref="Current"/> on every datagram, so a client taken
/// out of the file, or whose rights changed, is held to it from its next datagram on.
/// </summary>
public sealed class ClientRegistry : IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _reloading = new();
    private FileSystemWatcher? _watcher;
    private volatile ClientsFile _file;
    private long _reloads;

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">See <see cref="ClientsFile.Load"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public ClientRegistry(string path, ILogger logger)
    {
        _logger = logger;
        _file = ClientsFile.Load(Path.GetFullPath(path));
    }

    public ClientsFile File => _file;

    /// <summary>Good reads since the start (the first one not counted).</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Raised after each good reload (on the watcher's or the signal's thread).</summary>
    public event Action? Reloaded;

    /// <summary>The client's line as it now reads, or null when it was taken out or its key changed.</summary>
    public KeyedClient? Current(KeyedClient client) => _file.Current(client);

    /// <summary>Starts watching the file (SIGHUP is the host's: <c>netjournal serve</c> calls <see cref="Reload"/> on it).</summary>
    public void Watch()
    {
        var path = _file.Path;
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.Attributes,
        };
        _watcher.Changed += (_, _) => Reload("changed");
        _watcher.Created += (_, _) => Reload("changed");
        _watcher.Renamed += (_, _) => Reload("changed");
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Reads the file again; keeps the last good read when this one fails. True when the new read took effect.</summary>
    public bool Reload(string why)
    {
        lock (_reloading)
        {
            try
            {
                var file = ClientsFile.Load(_file.Path);
                _file = file;
                Interlocked.Increment(ref _reloads);
                ServerLog.ClientsReloaded(_logger, file.Path, file.Clients.Count, why);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                ServerLog.ClientsReloadFailed(_logger, _file.Path, e.Message);
                return false;
            }
        }
        Reloaded?.Invoke();
        return true;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
    }
}
