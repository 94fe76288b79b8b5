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
    public static JournalFile Open(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the journal {path} is in use by another server", e);
        }
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            return new JournalFile(path, stream, lockFile);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
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
