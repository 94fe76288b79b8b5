using Microsoft.Extensions.Logging;

namespace NetJournal.Server.Keys;

/// <summary>
/// The clients file as it now reads: loaded at start (a bad file stops the start), then read again when it changes
/// (a <see cref="FileSystemWatcher"/> on its folder) and when asked (<c>netjournal serve</c> asks on SIGHUP), without a restart. A reload that fails keeps the
/// clients of the last good read and logs why. Sessions ask <see cref="Current"/> on every datagram, so a client taken
/// out of the file, or whose rights changed, is held to it from its next datagram on.
/// </summary>
/// <remarks>
/// An editor, or <c>cat new &gt; clients</c>, rewrites the file in place: it is truncated, then written. A read taken in
/// between parses fine as a file of no clients, so a reload never reads while the file is being written: it waits until
/// the file has been quiet for <see cref="QuietPeriod"/> (no change event, and the same size and modification time on
/// two looks that far apart), and adopts a read only when the file's size and modification time are the same after it
/// as before it. A file left with a bad line still keeps the clients of the last good read.
/// </remarks>
public sealed class ClientRegistry : IDisposable
{
    /// <summary>How long the file must be left alone before it is read again, unless another is given.</summary>
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromMilliseconds(200);

    private readonly ILogger _logger;
    private readonly Lock _reloading = new();
    private readonly Timer _quiet;
    private FileSystemWatcher? _watcher;
    private volatile ClientsFile _file;
    private long _reloads;
    private FileLook _lastLook;
    private string _pendingWhy = "changed";
    private bool _disposed;

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <param name="path">The clients file.</param>
    /// <param name="logger">Where reloads are logged.</param>
    /// <param name="quietPeriod">How long the file must be unchanged before a reload reads it (default <see cref="DefaultQuietPeriod"/>).</param>
    /// <exception cref="InvalidDataException">See <see cref="ClientsFile.Load"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public ClientRegistry(string path, ILogger logger, TimeSpan? quietPeriod = null)
    {
        _logger = logger;
        QuietPeriod = quietPeriod ?? DefaultQuietPeriod;
        _file = ClientsFile.Load(Path.GetFullPath(path));
        _quiet = new Timer(_ => ReloadWhenQuiet());
    }

    public ClientsFile File => _file;

    /// <summary>How long the file must be unchanged (no change event, same size and modification time) before it is read again.</summary>
    public TimeSpan QuietPeriod { get; }

    /// <summary>Good reads since the start (the first one not counted).</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Raised after each good reload (on the timer's thread, or the caller's of <see cref="Reload"/>).</summary>
    public event Action? Reloaded;

    /// <summary>The client's line as it now reads, or null when it was taken out or its key changed.</summary>
    public KeyedClient? Current(KeyedClient client) => _file.Current(client);

    /// <summary>Starts watching the file (SIGHUP is the host's: <c>netjournal serve</c> calls <see cref="RequestReload"/> on it).</summary>
    public void Watch()
    {
        var path = _file.Path;
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.Attributes,
        };
        _watcher.Changed += (_, _) => RequestReload("changed");
        _watcher.Created += (_, _) => RequestReload("changed");
        _watcher.Renamed += (_, _) => RequestReload("changed");
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>
    /// Reads the file again once it has been quiet for <see cref="QuietPeriod"/>: each request starts the wait over, so
    /// a file being written is read only after its last write. Returns at once; <see cref="Reloaded"/> says when a read took effect.
    /// </summary>
    public void RequestReload(string why)
    {
        lock (_reloading)
        {
            if (_disposed) return;
            _pendingWhy = why;
            _lastLook = FileLook.Of(_file.Path);
            _quiet.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Reads the file now; keeps the last good read when this one fails or the file changed while it was read.
    /// True when the new read took effect.
    /// </summary>
    public bool Reload(string why) => TryReload(why, FileLook.Of(_file.Path)) == Outcome.Adopted;

    private void ReloadWhenQuiet()
    {
        string why;
        FileLook look;
        lock (_reloading)
        {
            if (_disposed) return;
            why = _pendingWhy;
            look = FileLook.Of(_file.Path);
            // Changed since the last look without an event reaching us yet: wait one more quiet period.
            if (look != _lastLook)
            {
                _lastLook = look;
                _quiet.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        if (TryReload(why, look) == Outcome.Moving) RequestReload(why);
    }

    private Outcome TryReload(string why, FileLook before)
    {
        lock (_reloading)
        {
            try
            {
                var file = ClientsFile.Load(_file.Path);
                // Written while read: this read may be half of the old file and half of the new one.
                if (FileLook.Of(file.Path) != before) return Outcome.Moving;
                _file = file;
                Interlocked.Increment(ref _reloads);
                ServerLog.ClientsReloaded(_logger, file.Path, file.Clients.Count, why);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                ServerLog.ClientsReloadFailed(_logger, _file.Path, e.Message);
                return Outcome.Failed;
            }
        }
        Reloaded?.Invoke();
        return Outcome.Adopted;
    }

    public void Dispose()
    {
        lock (_reloading)
        {
            _disposed = true;
        }
        _watcher?.Dispose();
        _quiet.Dispose();
    }

    private enum Outcome { Adopted, Failed, Moving }

    /// <summary>What a look at the file sees of its writes: size and modification time (absent: -1 and zero).</summary>
    private readonly record struct FileLook(long Size, DateTime ModifiedUtc)
    {
        public static FileLook Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileLook(info.Length, info.LastWriteTimeUtc) : new FileLook(-1, default);
        }
    }
}
