using Microsoft.Win32.SafeHandles;

namespace NetJournal.Storage;

/// <summary>
/// The append-only journal file. Appends are written at the end and fsynced before they count;
/// a failed append is cut off again, so the file never keeps half a line. Reads use positional I/O and may run beside appends.
/// </summary>
public sealed class JournalFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly FileStream _lock;
    private long _length;

    private JournalFile(string path, FileStream stream, FileStream lockFile)
    {
        Path = path;
        _stream = stream;
        _lock = lockFile;
        _length = stream.Length;
    }

    public string Path { get; }

    /// <summary>Bytes of whole, durable lines.</summary>
    public long Length => Volatile.Read(ref _length);

    public SafeFileHandle Handle => _stream.SafeFileHandle;

    /// <summary>Opens or creates the file, holding a lock file beside it so two servers never share one journal.</summary>
    /// <exception cref="IOException">
    /// The journal cannot be opened, with one line in the project's words that names the file and says why: its data
    /// folder is a file or cannot be created, it is locked by another server, it is a folder, or it may not be read or written.
    /// </exception>
    public static JournalFile Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(fullPath)!;
        if (FirstFileOnPath(directory) is { } file)
            throw CannotOpen(fullPath, file == directory ? $"the data folder {directory} is a file, not a folder" : $"{file} is a file, not a folder");
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotOpen(fullPath, $"cannot create the data folder {directory}: {Reason(e)}", e);
        }
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsLockConflict(e))
        {
            throw CannotOpen(fullPath, "it is locked by another netjournal server", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotOpen(fullPath, $"cannot create its lock file {fullPath}.lock: {Reason(e)}", e);
        }
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            return new JournalFile(path, stream, lockFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lockFile.Dispose();
            throw CannotOpen(fullPath, Directory.Exists(fullPath) ? "it is a folder, not a file" : Reason(e), e);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The lock file is held by another process. .NET locks a FileShare.None file with flock on Unix and reports a
    /// conflict with the errno (EWOULDBLOCK: 11 on Linux, 35 on macOS) as the HResult; Windows reports ERROR_SHARING_VIOLATION (32).
    /// </summary>
    private static bool IsLockConflict(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) == 32 : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);

    /// <summary>The journal cannot be opened: one line, with the cause kept inside for a log that wants it.</summary>
    internal static IOException CannotOpen(string path, string why, Exception? cause = null) => new($"cannot open the journal {path}: {why}", cause);

    /// <summary>Why a file operation failed, in words: the system's message, or "permission denied" for a refused access.</summary>
    internal static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message;

    /// <summary>The nearest of <paramref name="directory"/> and its parents that exists as a file, or null.</summary>
    private static string? FirstFileOnPath(string directory)
    {
        string? found = null;
        for (var d = directory; !string.IsNullOrEmpty(d); d = System.IO.Path.GetDirectoryName(d))
        {
            if (Directory.Exists(d)) break;
            if (File.Exists(d)) found = d;
        }
        return found;
    }

    /// <summary>Writes whole lines at the end and flushes them to disk. On failure the file is cut back to where it was.</summary>
    public long Append(ReadOnlySpan<byte> lines)
    {
        var start = _length;
        try
        {
            _stream.Position = start;
            _stream.Write(lines);
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            CutBackTo(start);
            throw new JournalWriteException($"could not append {lines.Length} bytes to {Path}: {e.Message}", e);
        }
        Volatile.Write(ref _length, start + lines.Length);
        return start;
    }

    private void CutBackTo(long length)
    {
        try
        {
            _stream.SetLength(length);
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Recovery on the next start cuts any torn tail; this writer only ever writes past Length.
        }
    }

    /// <summary>Cuts the file at <paramref name="length"/> (a torn tail found on start).</summary>
    public void Truncate(long length)
    {
        _stream.SetLength(length);
        _stream.Flush(flushToDisk: true);
        _length = length;
    }

    public int Read(long offset, Span<byte> destination) => RandomAccess.Read(_stream.SafeFileHandle, destination, offset);

    public void Dispose()
    {
        _stream.Dispose();
        _lock.Dispose();
    }
}
