using System.Buffers;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Storage;

// A whole line, written from a record.
public static partial class JournalLine
{
    /// <summary>Appends the record and its newline to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The record's time is outside the years 1 to 9999.</exception>
    public static void Write(JournalRecord r, IBufferWriter<byte> output)
    {
        // One writer per thread, reset per line: this runs once per stored note on the commit path.
        var state = State(output);
        state.Json.Reset(output);
        WriteObject(state.Json, r, includeDedup: true, state.FormatTime(r.TimeMs));
        state.Json.Flush();
        output.Write("\n"u8);
    }

    /// <summary>Writes the public fields (what `history --format json` prints) and, for the file, the dedup pair.</summary>
    public static void WriteObject(Utf8JsonWriter json, JournalRecord r, bool includeDedup)
    {
        Span<char> time = stackalloc char[NoteJson.TimeLength];
        NoteJson.FormatTime(r.TimeMs, time);
        WriteObject(json, r, includeDedup, time);
    }

    private static void WriteObject(Utf8JsonWriter json, JournalRecord r, bool includeDedup, ReadOnlySpan<char> time)
    {
        json.WriteStartObject();
        NoteJson.WriteSeqAndTime(json, r.Seq, time);
        NoteJson.WriteFields(json, r.Client, r.Address, r.Text, r.Origin, r.Priority);
        if (includeDedup) WriteDedup(json, r.Instance, r.Number);
        json.WriteEndObject();
    }
}
