using System.Buffers;

namespace NetJournal.Storage;

/// <summary>Reads records at index positions through one read-ahead window, so a forward scan costs one read per 64 KiB, not per note.</summary>
internal sealed class RecordReader(JournalFile file) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private long _windowStart = -1;
    private int _windowLength;

    public JournalRecord? Read(in IndexEntry e) => JournalLine.TryParse(Line(e));

    /// <summary>The entry's line without its newline; empty when the file ends before it.</summary>
    public ReadOnlySpan<byte> Line(in IndexEntry e)
    {
        if (e.Offset < _windowStart || e.Offset + e.Length > _windowStart + _windowLength)
        {
            if (e.Length > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(e.Length);
            }
            _windowStart = e.Offset;
            _windowLength = 0;
            while (_windowLength < e.Length)
            {
                var read = file.Read(_windowStart + _windowLength, _buffer.AsSpan(_windowLength));
                if (read == 0) return [];
                _windowLength += read;
            }
        }
        return _buffer.AsSpan((int)(e.Offset - _windowStart), e.Length - 1);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
