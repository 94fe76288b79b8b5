using System.Text;
using System.Threading.Channels;
using NetJournal.Protocol;

namespace NetJournal.Client;

/// <summary>Notes given as strings (typed lines, the string API): each is checked as text and encoded to UTF-8 once, when peeked.</summary>
internal sealed class StringNoteSource : NoteSource
{
    private readonly Channel<string> _lines;
    private readonly IAsyncEnumerable<string>? _notes;
    private readonly byte[] _scratch = new byte[Encoding.UTF8.GetMaxByteCount(ProtocolConstants.MaxNoteBytes)];
    private string? _peeked;
    private int _peekedLength;
    private ErrorCode _peekedError;
    private Task _reading = Task.CompletedTask;

    /// <summary>Notes already in memory: queued at once, so the first datagram leaves on the caller's thread with no hand-over.</summary>
    public StringNoteSource(IReadOnlyList<string> notes)
    {
        _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        foreach (var note in notes) _lines.Writer.TryWrite(note);
        _lines.Writer.TryComplete();
    }

    public StringNoteSource(IAsyncEnumerable<string> notes)
    {
        _notes = notes;
        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(8192) { SingleReader = true, SingleWriter = true });
    }

    public override Task Reading => _reading;

    public override bool Exhausted => _peeked is null && _lines.Reader.Completion.IsCompleted;

    public override void Start(Action wake, CancellationToken cancellationToken)
    {
        if (_notes is null) return;
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var note in _notes.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await _lines.Writer.WriteAsync(note, cancellationToken).ConfigureAwait(false);
                    // Only a line into an empty queue can find the writer asleep waiting for input.
                    if (_lines.Reader.Count == 1) wake();
                }
                _lines.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _lines.Writer.TryComplete(e);
                throw;
            }
            finally
            {
                wake();
            }
        }, cancellationToken);
    }

    public override bool TryPeek(out ReadOnlySpan<byte> utf8, out string? text, out ErrorCode error)
    {
        if (_peeked is null)
        {
            if (!_lines.Reader.TryPeek(out var line))
            {
                utf8 = default;
                text = null;
                error = ErrorCode.None;
                return false;
            }
            _peeked = line;
            _peekedError = NoteRules.Check(line);
            _peekedLength = _peekedError == ErrorCode.None ? Encoding.UTF8.GetBytes(line, _scratch) : 0;
        }
        utf8 = _scratch.AsSpan(0, _peekedLength);
        text = _peeked;
        error = _peekedError;
        return true;
    }

    public override void Advance()
    {
        _lines.Reader.TryRead(out _);
        _peeked = null;
    }
}
