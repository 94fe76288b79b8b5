using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// The journal's line format: one JSON object per line, UTF-8, with non-ASCII text kept readable
/// (grep finds Chinese as typed). Control characters are escaped by JSON itself, so a line never holds a raw newline.
/// </summary>
public static class JournalLine
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JournalTextEncoder.Instance,
        SkipValidation = true,
    };

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string FormatTime(long timeMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out long timeMs)
    {
        timeMs = 0;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return false;
        timeMs = t.ToUnixTimeMilliseconds();
        return true;
    }

    /// <summary>Appends the record and its newline to <paramref name="output"/>.</summary>
    public static void Write(JournalRecord r, IBufferWriter<byte> output)
    {
        // One writer per thread, reset per line: this runs once per stored note on the commit path.
        var json = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        json.Reset(output);
        WriteObject(json, r, includeDedup: true);
        json.Flush();
        output.Write("\n"u8);
    }

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes the public fields (what `history --format json` prints) and, for the file, the dedup pair.</summary>
    public static void WriteObject(Utf8JsonWriter json, JournalRecord r, bool includeDedup)
    {
        json.WriteStartObject();
        json.WriteNumber("seq", r.Seq);
        Span<char> time = stackalloc char[24];
        DateTimeOffset.FromUnixTimeMilliseconds(r.TimeMs).UtcDateTime.TryFormat(time, out var timeLength, TimeFormat, CultureInfo.InvariantCulture);
        json.WriteString("time", time[..timeLength]);
        json.WriteString("client", r.Client);
        json.WriteString("address", r.Address);
        json.WriteString("text", r.Text);
        if (r.Origin != NoteOrigin.Native) json.WriteString("origin", r.Origin == NoteOrigin.Syslog ? "syslog" : "plain");
        if (r.Priority is { } pri)
        {
            json.WriteNumber("facility", pri >> 3);
            json.WriteNumber("severity", pri & 7);
        }
        if (includeDedup && r.Instance != 0)
        {
            Span<char> instance = stackalloc char[16];
            r.Instance.TryFormat(instance, out _, "x16", CultureInfo.InvariantCulture);
            json.WriteString("instance", instance);
            json.WriteNumber("num", r.Number);
        }
        json.WriteEndObject();
    }

    /// <summary>Parses one line (without its newline). Null when it is not a whole, valid record.</summary>
    public static JournalRecord? TryParse(ReadOnlySpan<byte> line)
    {
        try
        {
            return Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            // An "instance" of more than 16 hex digits.
            return null;
        }
    }

    private static JournalRecord? Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        ulong seq = 0, instance = 0, number = 0;
        long timeMs = 0;
        string? client = null, address = null, text = null;
        var origin = NoteOrigin.Native;
        int facility = -1, severity = -1;
        var hasTime = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.TokenType != JsonTokenType.PropertyName) return null;
            var name = reader.ValueSpan;
            if (!reader.Read()) return null;
            if (name.SequenceEqual("seq"u8)) seq = reader.GetUInt64();
            else if (name.SequenceEqual("time"u8)) hasTime = TryParseTime(reader.GetString() ?? "", out timeMs);
            else if (name.SequenceEqual("client"u8)) client = reader.GetString();
            else if (name.SequenceEqual("address"u8)) address = reader.GetString();
            else if (name.SequenceEqual("text"u8)) text = reader.GetString();
            else if (name.SequenceEqual("origin"u8)) origin = reader.GetString() == "syslog" ? NoteOrigin.Syslog : NoteOrigin.PlainText;
            else if (name.SequenceEqual("facility"u8)) facility = reader.GetInt32();
            else if (name.SequenceEqual("severity"u8)) severity = reader.GetInt32();
            else if (name.SequenceEqual("instance"u8)) instance = ulong.Parse(reader.GetString() ?? "", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            else if (name.SequenceEqual("num"u8)) number = reader.GetUInt64();
            else reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;
        if (seq == 0 || !hasTime || client is null || address is null || text is null) return null;
        byte? pri = facility is >= 0 and <= 23 && severity is >= 0 and <= 7 ? (byte)(facility * 8 + severity) : null;
        return new JournalRecord(seq, timeMs, client, address, text, origin, pri, instance, number);
    }
}
