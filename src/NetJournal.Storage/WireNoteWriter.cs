using System.Globalization;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// Turns a journal line straight into a note as a history page carries it, with no record, note or string in
/// between: a history fetch reads every line once, and building objects only to encode them again was most of
/// its cost. Gives exactly what encoding <c>JournalLine.TryParse(line).ToNote()</c> gives, and refuses exactly
/// the lines TryParse refuses.
/// </summary>
public static class WireNoteWriter
{
    /// <summary>
    /// Room that always holds the note of a line of this length: the note drops the field names, quotes and escapes
    /// the line has, and adds at most 31 bytes of numbers and lengths.
    /// </summary>
    public static int MaxSize(int lineLength) => lineLength + 32;

    /// <summary>
    /// Writes the note of <paramref name="line"/> (without its newline) to <paramref name="destination"/>.
    /// False when the line is not a whole, valid record, or the note does not fit; nothing is promised about the
    /// destination then. A note never takes more than <see cref="MaxSize"/> of its line's length.
    /// </summary>
    public static bool TryWrite(ReadOnlySpan<byte> line, Span<byte> destination, out int written)
    {
        written = 0;
        // Unescaped strings never grow, so the line's length is enough for all three of them.
        var scratch = line.Length <= 1024 ? stackalloc byte[line.Length] : new byte[line.Length];
        try
        {
            return TryWrite(line, destination, scratch, out written);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryWrite(ReadOnlySpan<byte> line, Span<byte> destination, Span<byte> scratch, out int written)
    {
        written = 0;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        ulong seq = 0;
        long timeMs = 0;
        var hasTime = false;
        Slice client = default, address = default, text = default;
        bool hasClient = false, hasAddress = false, hasText = false;
        var origin = NoteOrigin.Native;
        int facility = -1, severity = -1;
        var used = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.TokenType != JsonTokenType.PropertyName) return false;
            var name = reader.ValueSpan;
            if (!reader.Read()) return false;
            if (name.SequenceEqual("seq"u8))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out seq)) return false;
            }
            else if (name.SequenceEqual("time"u8)) hasTime = TryReadTime(ref reader, out timeMs);
            else if (name.SequenceEqual("client"u8)) hasClient = TryReadString(ref reader, line, scratch, ref used, out client);
            else if (name.SequenceEqual("address"u8)) hasAddress = TryReadString(ref reader, line, scratch, ref used, out address);
            else if (name.SequenceEqual("text"u8)) hasText = TryReadString(ref reader, line, scratch, ref used, out text);
            else if (name.SequenceEqual("origin"u8))
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) return false;
                // GetString() refuses UTF-8 that is not valid, even where only its value's kind matters.
                if (reader.TokenType == JsonTokenType.String && !TryReadString(ref reader, line, scratch, ref used, out _)) return false;
                origin = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("syslog"u8) ? NoteOrigin.Syslog : NoteOrigin.PlainText;
            }
            else if (name.SequenceEqual("facility"u8))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out facility)) return false;
            }
            else if (name.SequenceEqual("severity"u8))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out severity)) return false;
            }
            else if (name.SequenceEqual("instance"u8))
            {
                if (!IsHex(ref reader, scratch[used..])) return false;
            }
            else if (name.SequenceEqual("num"u8))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out _)) return false;
            }
            else reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return false;
        if (seq == 0 || !hasTime || !hasClient || !hasAddress || !hasText) return false;
        var withPriority = facility is >= 0 and <= 23 && severity is >= 0 and <= 7;
        var size = WireWriter.VarUIntSize(seq) + WireWriter.VarInt64Size(timeMs) + BytesSize(client) + BytesSize(address) + BytesSize(text)
            + (withPriority ? 2 : 1);
        if (size > destination.Length) return false;
        var w = new WireWriter(destination);
        w.WriteVarUInt(seq);
        w.WriteVarInt64(timeMs);
        w.WriteBytes(client.Of(line, scratch));
        w.WriteBytes(address.Of(line, scratch));
        w.WriteBytes(text.Of(line, scratch));
        if (withPriority)
        {
            w.WriteByte((byte)(origin | (NoteOrigin)0x80));
            w.WriteByte((byte)(facility * 8 + severity));
        }
        else
        {
            w.WriteByte((byte)origin);
        }
        written = w.Position;
        return true;
    }

    private static int BytesSize(Slice value) => WireWriter.VarUIntSize((ulong)value.Length) + value.Length;

    /// <summary>Where a string's UTF-8 is: in the line when it has no escapes, else unescaped in the scratch buffer.</summary>
    private readonly record struct Slice(int Start, int Length, bool InScratch)
    {
        public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> line, ReadOnlySpan<byte> scratch) => (InScratch ? scratch : line).Slice(Start, Length);
    }

    private static bool TryReadString(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, Span<byte> scratch, ref int used, out Slice value)
    {
        value = default;
        // GetString() throws on anything else; null is a missing value, as GetString() gives null.
        if (reader.TokenType == JsonTokenType.Null) return false;
        if (reader.TokenType != JsonTokenType.String) throw new InvalidOperationException("not a string");
        if (!reader.ValueIsEscaped)
        {
            // A string token starts at its opening quote.
            value = new Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, false);
        }
        else
        {
            value = new Slice(used, reader.CopyString(scratch[used..]), true);
            used += value.Length;
        }
        // The record path decodes to a string, which throws on UTF-8 that is not valid.
        if (!System.Text.Unicode.Utf8.IsValid(value.Of(line, scratch))) throw new InvalidOperationException("invalid UTF-8");
        return true;
    }

    /// <summary>What ulong.Parse(GetString(), HexNumber) accepts.</summary>
    private static bool IsHex(ref Utf8JsonReader reader, Span<byte> scratch)
    {
        if (reader.TokenType != JsonTokenType.String) return false;
        var value = reader.ValueIsEscaped ? scratch[..reader.CopyString(scratch)] : reader.ValueSpan;
        return ulong.TryParse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>The journal's own format by hand; anything else through <see cref="JournalLine.TryParseTime"/>.</summary>
    private static bool TryReadTime(ref Utf8JsonReader reader, out long timeMs)
    {
        timeMs = 0;
        if (reader.TokenType == JsonTokenType.Null) return JournalLine.TryParseTime("", out timeMs);
        if (reader.TokenType != JsonTokenType.String) throw new InvalidOperationException("not a string");
        var v = reader.ValueSpan;
        if (!reader.ValueIsEscaped && v.Length == 24 && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[13] == ':' && v[16] == ':' && v[19] == '.' && v[23] == 'Z'
            && Digits(v, 0, 4, out var year) && Digits(v, 5, 2, out var month) && Digits(v, 8, 2, out var day)
            && Digits(v, 11, 2, out var hour) && Digits(v, 14, 2, out var minute) && Digits(v, 17, 2, out var second) && Digits(v, 20, 3, out var ms)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && hour < 24 && minute < 60 && second < 60)
        {
            timeMs = (new DateTime(year, month, day, hour, minute, second, ms, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
            return true;
        }
        return JournalLine.TryParseTime(reader.GetString() ?? "", out timeMs);
    }

    private static bool Digits(ReadOnlySpan<byte> v, int at, int count, out int value)
    {
        value = 0;
        for (var i = at; i < at + count; i++)
        {
            var d = v[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }
}
