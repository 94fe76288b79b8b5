using System.Text.Json;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Cli.Output;

/// <summary>JSON Lines, one object per note, with the exact text (JSON escaping keeps it safe on a terminal).</summary>
public sealed class NoteJsonWriter(TextWriter output)
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JournalTextEncoder.Instance };
    private readonly MemoryStream _buffer = new();

    public void Write(Note note)
    {
        _buffer.SetLength(0);
        using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            JournalLine.WriteObject(json, new JournalRecord(note.Seq, note.TimeMs, note.Client, note.Address, note.Text, note.Origin, note.Priority), includeDedup: false);
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
    }

    public static void WriteClient(TextWriter output, ClientSummary c)
    {
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteString("lastAddress", c.LastAddress);
            json.WriteNumber("notes", c.NoteCount);
            json.WriteString("first", JournalLine.FormatTime(c.FirstMs));
            json.WriteString("last", JournalLine.FormatTime(c.LastMs));
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
