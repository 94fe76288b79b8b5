using System.Buffers;
using System.Text;
using System.Threading.Channels;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>
/// Notes read from a stream of UTF-8 lines, kept as bytes from the stream to the datagram: no string per line.
/// Lines end at '\n' or '\r' (so "\r\n" too) and empty lines are skipped, as <see cref="TextReader.ReadLine"/> reads
/// them. A line that is not valid UTF-8 is decoded with replacement characters, as a <see cref="StreamReader"/> would.
/// The stream is read in large chunks of whole lines, handed over a small bounded queue.
/// </summary>
internal sealed class StreamNoteSource(Stream input) : NoteSource
{
    // Large: every chunk handed over costs thread wake-ups (the read, the queue), which cost more than the notes in it.
    private const int ChunkSize = 1 << 18;

    private readonly record struct Chunk(byte[] Buffer, int Length);

    private readonly Channel<Chunk> _chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private Chunk _current;
    private bool _hasCurrent;
    private int _position;
    private int _peekedEnd = -1;
    private int _peekedStart;
    private string? _replaced;
    private byte[]? _replacedBytes;
    private Task _reading = Task.CompletedTask;

    public override Task Reading => _reading;

    public override bool Exhausted => !_hasCurrent && _chunks.Reader.Completion.IsCompleted;

    public override void Start(Action wake, CancellationToken cancellationToken)
    {
        _reading = Task.Run(async () =>
        {
            try
            {
                await ReadAsync(wake, cancellationToken).ConfigureAwait(false);
                _chunks.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _chunks.Writer.TryComplete(e);
                throw;
            }
            finally
            {
                wake();
            }
        }, cancellationToken);
    }

    private async Task ReadAsync(Action wake, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var filled = 0;
        while (true)
        {
            var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (filled > 0) await HandOverAsync(new Chunk(buffer, filled), wake, cancellationToken).ConfigureAwait(false);
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
            await HandOverAsync(new Chunk(buffer, lastBreak + 1), wake, cancellationToken).ConfigureAwait(false);
            buffer = next;
            filled = rest;
        }
    }

    private async ValueTask HandOverAsync(Chunk chunk, Action wake, CancellationToken cancellationToken)
    {
        await _chunks.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        if (_chunks.Reader.Count == 1) wake();
    }

    public override bool TryPeek(out ReadOnlySpan<byte> utf8, out string? text, out ErrorCode error)
    {
        text = null;
        while (true)
        {
            if (!_hasCurrent)
            {
                if (!_chunks.Reader.TryRead(out _current))
                {
                    utf8 = default;
                    error = ErrorCode.None;
                    return false;
                }
                _hasCurrent = true;
                _position = 0;
                _peekedEnd = -1;
            }
            var rest = _current.Buffer.AsSpan(_position, _current.Length - _position);
            if (_peekedEnd < 0)
            {
                var skip = rest.IndexOfAnyExcept((byte)'\n', (byte)'\r');
                if (skip < 0)
                {
                    ArrayPool<byte>.Shared.Return(_current.Buffer);
                    _hasCurrent = false;
                    continue;
                }
                var line = rest[skip..];
                var end = line.IndexOfAny((byte)'\n', (byte)'\r');
                _peekedStart = _position + skip;
                _peekedEnd = _peekedStart + (end < 0 ? line.Length : end);
                _replaced = null;
                if (NoteRules.Check(_current.Buffer.AsSpan(_peekedStart, _peekedEnd - _peekedStart)) == ErrorCode.InvalidUtf8)
                {
                    _replaced = Encoding.UTF8.GetString(_current.Buffer, _peekedStart, _peekedEnd - _peekedStart);
                    _replacedBytes = Encoding.UTF8.GetBytes(_replaced);
                }
            }
            utf8 = _replaced is null ? _current.Buffer.AsSpan(_peekedStart, _peekedEnd - _peekedStart) : _replacedBytes;
            text = _replaced;
            error = NoteRules.Check(utf8);
            return true;
        }
    }

    public override void Advance()
    {
        _position = _peekedEnd;
        _peekedEnd = -1;
    }

    public override void Release()
    {
        if (_hasCurrent) ArrayPool<byte>.Shared.Return(_current.Buffer);
        _hasCurrent = false;
        while (_chunks.Reader.TryRead(out var chunk)) ArrayPool<byte>.Shared.Return(chunk.Buffer);
    }
}
