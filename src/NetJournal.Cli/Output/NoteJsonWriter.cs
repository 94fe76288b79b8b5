using System.Buffers;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Cli.Output;

/// <summary>
/// JSON Lines, one object per note, with the exact text (JSON escaping keeps it safe on a terminal): the note's
/// members as <see cref="NoteJson"/> writes them, the same as its journal line less the dedup pair.
/// </summary>
public sealed class NoteJsonWriter(TextWriter output)
{
    private static readonly JsonWriterOptions Options = NoteJson.WriterOptions;
    // One writer and buffers for every note: a history of a million notes is a million calls.
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter? _json;
    private char[] _chars = new char[1024];

    public void Write(Note note)
    {
        _buffer.ResetWrittenCount();
        var json = _json ??= new Utf8JsonWriter(_buffer, Options);
        json.Reset(_buffer);
        NoteJson.Write(json, note);
        json.Flush();
        var utf8 = _buffer.WrittenSpan;
        if (output is Utf8OutputWriter direct)
        {
            direct.WriteUtf8(utf8);
            direct.WriteLine();
            return;
        }
        if (_chars.Length < utf8.Length) _chars = new char[utf8.Length * 2];
        var count = System.Text.Encoding.UTF8.GetChars(utf8, _chars);
        output.Write(_chars, 0, count);
        output.WriteLine();
    }

    public static void WriteClient(TextWriter output, ClientSummary c)
    {
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            ClientJson.Write(json, c);
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
