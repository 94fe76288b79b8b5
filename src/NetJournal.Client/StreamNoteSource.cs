using System.Buffers;
using System.Text;
using System.Collections.Concurrent;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// Notes read from a stream of UTF-8 lines, kept as bytes from the stream to the datagram: no string per line.
/// Lines end at '\n' or '\r' (so "\r\n" too) and empty lines are skipped, as <see cref="TextReader.ReadLine"/> reads
/// them. A line that is not valid UTF-8 is decoded with replacement characters, as a <see cref="StreamReader"/> would.
/// The stream is read in large chunks of whole lines on a thread of its own, handed over a small bounded queue.
/// </summary>
internal sealed class StreamNoteSource(Stream input) : NoteSource
{
    // Large: every chunk handed over costs thread wake-ups (the read, the queue), which cost more than the notes in it.
    private const int ChunkSize = 1 << 18;

    private readonly record struct Chunk(byte[] Buffer, int Length);

    // Chunks read and not yet taken, at most QueuedChunks of them (the reader waits for room).
    private readonly ConcurrentQueue<Chunk> _chunks = new();
    // Guards the reader's wait for room: a monitor, which blocks at once where a semaphore spins with sched_yield
    // first (the reader waits for room most of the time: reading is faster than sending).
    private readonly object _room = new();
    private const int QueuedChunks = 4;
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _ended;
    private volatile bool _released;
    private Chunk _current;
    private bool _hasCurrent;
    private int _position;
    private int _peekedEnd = -1;
    private int _peekedStart;
    // The rules' verdict on the peeked line, found once: a note is peeked more than once before it is sent.
    private ErrorCode _peekedError;
    private string? _replaced;
    private byte[]? _replacedBytes;
    private long _notes;
    private long _breaks;
    private bool _lastWasCr;
    private readonly List<(long Index, long Shift)> _lineShifts = [];
    private HashSet<long>? _repaired;

    public override Task Reading => _reading.Task;

    // The end flag first: once it is set, every chunk is in the queue already.
    public override bool Exhausted => !_hasCurrent && _ended && _chunks.IsEmpty;

    /// <remarks>
    /// Reads on a thread of its own with blocking reads: an asynchronous read of a file or pipe, and a hand-over that
    /// waits asynchronously for room, each went through the thread pool and woke two of its threads, which cost a
    /// bulk write more CPU than the reading itself.
    /// </remarks>
    public override void Start(Action wake, CancellationToken cancellationToken)
    {
        var reader = new Thread(() =>
        {
            try
            {
                Read(wake, cancellationToken);
                _ended = true;
                _reading.TrySetResult();
            }
            catch (Exception e)
            {
                _ended = true;
                _reading.TrySetException(e);
            }
            finally
            {
                wake();
            }
        })
        {
            IsBackground = true,
            Name = "netjournal input",
        };
        reader.Start();
    }

    private void Read(Action wake, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var filled = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = input.Read(buffer.AsSpan(filled));
            if (read == 0)
            {
                if (filled > 0) HandOver(new Chunk(buffer, filled), wake, cancellationToken);
                else ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
            filled += read;
            var lastBreak = buffer.AsSpan(0, filled).LastIndexOfAny((byte)'\n', (byte)'\r');
            if (lastBreak < 0)
            {
                // A line longer than the buffer: grow it until the line ends (the writer refuses it as too long).
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                continue;
            }
            // Whole lines go over; the start of the next line moves to a fresh buffer.
            var next = ArrayPool<byte>.Shared.Rent(ChunkSize);
            var rest = filled - lastBreak - 1;
            buffer.AsSpan(lastBreak + 1, rest).CopyTo(next);
            HandOver(new Chunk(buffer, lastBreak + 1), wake, cancellationToken);
            buffer = next;
            filled = rest;
        }
    }

    private void HandOver(Chunk chunk, Action wake, CancellationToken cancellationToken)
    {
        lock (_room)
        {
            using var cancelled = cancellationToken.Register(() => { lock (_room) Monitor.Pulse(_room); });
            while (_chunks.Count >= QueuedChunks && !_released && !cancellationToken.IsCancellationRequested) Monitor.Wait(_room);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (_released)
        {
            // The writer is done (it gave up): nothing more is taken.
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
            throw new OperationCanceledException("the writer stopped taking notes");
        }
        var wasEmpty = _chunks.IsEmpty;
        _chunks.Enqueue(chunk);
        // Only a writer that ran out of notes sleeps for them; one with notes left comes back for this chunk.
        if (wasEmpty) wake();
    }

    public override bool TryPeek(out ReadOnlySpan<byte> utf8, out string? text, out ErrorCode error)
    {
        text = null;
        while (true)
        {
            if (!_hasCurrent)
            {
                if (!_chunks.TryDequeue(out _current))
                {
                    utf8 = default;
                    error = ErrorCode.None;
                    return false;
                }
                lock (_room) Monitor.Pulse(_room);
                _hasCurrent = true;
                _position = 0;
                _peekedEnd = -1;
            }
            var rest = _current.Buffer.AsSpan(_position, _current.Length - _position);
            if (_peekedEnd < 0)
            {
                var skip = rest.IndexOfAnyExcept((byte)'\n', (byte)'\r');
                CountBreaks(skip < 0 ? rest : rest[..skip], atChunkEnd: skip < 0);
                if (skip < 0)
                {
                    ArrayPool<byte>.Shared.Return(_current.Buffer);
                    _hasCurrent = false;
                    continue;
                }
                var line = rest[skip..];
                var end = line.IndexOfAny((byte)'\n', (byte)'\r');
                if (end >= 0) line = line[..end];
                if (IsBlank(line))
                {
                    // Whitespace alone is no note, as the interactive session has it; the line still counts.
                    _position += skip + line.Length;
                    continue;
                }
                _peekedStart = _position + skip;
                _peekedEnd = _peekedStart + line.Length;
                _replaced = null;
                RecordLine();
                _peekedError = NoteRules.Check(line);
                if (_peekedError == ErrorCode.InvalidUtf8)
                {
                    _replaced = Encoding.UTF8.GetString(line);
                    _replacedBytes = Encoding.UTF8.GetBytes(_replaced);
                    (_repaired ??= []).Add(_notes);
                    _peekedError = NoteRules.Check(_replacedBytes);
                }
            }
            utf8 = _replaced is null ? _current.Buffer.AsSpan(_peekedStart, _peekedEnd - _peekedStart) : _replacedBytes;
            text = _replaced;
            error = _peekedError;
            return true;
        }
    }

    public override void Advance()
    {
        _position = _peekedEnd;
        _peekedEnd = -1;
        _notes++;
    }

    public override long LineOf(long index)
    {
        // The last change of the offset between note number and line at or before this note.
        var (lo, hi) = (0, _lineShifts.Count - 1);
        long shift = 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_lineShifts[mid].Index <= index)
            {
                shift = _lineShifts[mid].Shift;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return index + shift;
    }

    public override bool WasRepaired(long index) => _repaired is { } repaired && repaired.Contains(index);

    // The line of the note being peeked is _breaks + 1; only where a blank line shifted it is anything kept.
    private void RecordLine()
    {
        var shift = _breaks + 1 - _notes;
        if (shift != (_lineShifts.Count == 0 ? 1 : _lineShifts[^1].Shift)) _lineShifts.Add((_notes, shift));
    }

    // A line break is a LF, or a CR not followed by a LF; a CRLF split between two chunks counts once.
    private void CountBreaks(ReadOnlySpan<byte> breaks, bool atChunkEnd)
    {
        for (var i = 0; i < breaks.Length; i++)
        {
            if (breaks[i] == (byte)'\n')
            {
                if (!(i == 0 && _lastWasCr)) _breaks++;
            }
            else if (i + 1 >= breaks.Length || breaks[i + 1] != (byte)'\n')
            {
                _breaks++;
            }
            _lastWasCr = false;
        }
        _lastWasCr = atChunkEnd && breaks.Length > 0 && breaks[^1] == (byte)'\r';
    }

    private static readonly SearchValues<byte> AsciiSpaces = SearchValues.Create(" \t\v\f"u8);

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOfAnyExcept(AsciiSpaces);
        if (first < 0) return true;
        // Only a line that starts with non-ASCII can still be all whitespace (an ideographic space, say).
        return line[first] >= 0x80 && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line));
    }

    public override void Release()
    {
        // A reader waiting for room sees the flag and ends.
        lock (_room)
        {
            _released = true;
            Monitor.Pulse(_room);
        }
        if (_hasCurrent) ArrayPool<byte>.Shared.Return(_current.Buffer);
        _hasCurrent = false;
        while (_chunks.TryDequeue(out var chunk)) ArrayPool<byte>.Shared.Return(chunk.Buffer);
    }
}
