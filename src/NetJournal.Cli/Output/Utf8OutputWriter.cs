using System.Text;

namespace NetJournal.Cli.Output;

/// <summary>
/// Output to a file or pipe: UTF-8 through one buffer, written when it fills or on <see cref="Flush"/>. It takes text
/// as chars, like any writer, or as UTF-8 already encoded (<see cref="WriteUtf8"/>): a note's JSON line is built as
/// UTF-8, and decoding it into chars only to encode it again cost a fifth of printing a long history as JSON Lines.
/// </summary>
public sealed class Utf8OutputWriter(Stream stream, int bufferBytes = 1 << 16) : TextWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    // Room for the longest thing the encoder writes at once (a replacement character, or a surrogate pair's 4 bytes).
    private const int MinFree = 16;

    private readonly byte[] _buffer = new byte[Math.Max(bufferBytes, 4 * MinFree)];
    private readonly Encoder _encoder = Utf8.GetEncoder();
    private int _used;

    public override Encoding Encoding => Utf8;

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> chars) => Encode(chars, flush: false);

    /// <summary>Bytes that are UTF-8 already, in order with the text written before them.</summary>
    public void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _buffer.Length - _used)
        {
            WriteBuffer();
            if (utf8.Length > _buffer.Length)
            {
                stream.Write(utf8);
                return;
            }
        }
        utf8.CopyTo(_buffer.AsSpan(_used));
        _used += utf8.Length;
    }

    public override void Flush()
    {
        // A high surrogate left waiting for its pair becomes a replacement character, as StreamWriter does.
        Encode([], flush: true);
        WriteBuffer();
        stream.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            stream.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Encode(ReadOnlySpan<char> chars, bool flush)
    {
        while (true)
        {
            if (_buffer.Length - _used < MinFree) WriteBuffer();
            _encoder.Convert(chars, _buffer.AsSpan(_used), flush, out var charsUsed, out var bytesUsed, out var completed);
            _used += bytesUsed;
            chars = chars[charsUsed..];
            if (completed || (chars.IsEmpty && !flush)) return;
            WriteBuffer();
        }
    }

    private void WriteBuffer()
    {
        if (_used == 0) return;
        stream.Write(_buffer, 0, _used);
        _used = 0;
    }
}
