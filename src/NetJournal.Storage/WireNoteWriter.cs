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
        // Nearly every line is exactly as JournalLine wrote it; those are read by hand, the rest by the JSON reader.
        if (TryReadCanonical(line, out var canonical)) return canonical.TryEmit(line, destination, out written);
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
        return Emit(seq, timeMs, client.Of(line, scratch), address.Of(line, scratch), text.Of(line, scratch), origin, facility, severity, destination, out written);
    }

    private static bool Emit(ulong seq, long timeMs, ReadOnlySpan<byte> client, ReadOnlySpan<byte> address, ReadOnlySpan<byte> text,
        NoteOrigin origin, int facility, int severity, Span<byte> destination, out int written)
    {
        written = 0;
        var withPriority = facility is >= 0 and <= 23 && severity is >= 0 and <= 7;
        var size = WireWriter.VarUIntSize(seq) + WireWriter.VarInt64Size(timeMs) + BytesSize(client) + BytesSize(address) + BytesSize(text)
            + (withPriority ? 2 : 1);
        if (size > destination.Length) return false;
        var w = new WireWriter(destination);
        w.WriteVarUInt(seq);
        w.WriteVarInt64(timeMs);
        w.WriteBytes(client);
        w.WriteBytes(address);
        w.WriteBytes(text);
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

    private static int BytesSize(ReadOnlySpan<byte> value) => WireWriter.VarUIntSize((ulong)value.Length) + value.Length;

    /// <summary>The fields of a line in the exact shape JournalLine writes, as offsets into it.</summary>
    private readonly record struct CanonicalLine(
        ulong Seq, long TimeMs, Range Client, Range Address, Range Text, NoteOrigin Origin, int Facility, int Severity)
    {
        public bool TryEmit(ReadOnlySpan<byte> line, Span<byte> destination, out int written) =>
            Emit(Seq, TimeMs, line[Client], line[Address], line[Text], Origin, Facility, Severity, destination, out written);
    }

    /// <summary>
    /// <c>{"seq":N,"time":"T","client":"S","address":"S","text":"S"[,"origin":…][,"facility":N,"severity":N][,"instance":"H","num":N]}</c>
    /// with strings that need no unescaping and numbers in their plain form. False means only "not in that shape":
    /// the JSON reader then decides, so this never refuses a line the record path accepts.
    /// </summary>
    private static bool TryReadCanonical(ReadOnlySpan<byte> line, out CanonicalLine result)
    {
        result = default;
        var at = 0;
        if (!Literal(line, ref at, "{\"seq\":"u8) || !Number(line, ref at, out var seq) || seq == 0) return false;
        if (!Literal(line, ref at, ",\"time\":\""u8) || line.Length < at + 24 || !TryParseTime(line.Slice(at, 24), out var timeMs)) return false;
        at += 24;
        if (!Literal(line, ref at, "\",\"client\":\""u8) || !PlainString(line, ref at, out var client)) return false;
        if (!Literal(line, ref at, ",\"address\":\""u8) || !PlainString(line, ref at, out var address)) return false;
        if (!Literal(line, ref at, ",\"text\":\""u8) || !PlainString(line, ref at, out var text)) return false;
        var origin = NoteOrigin.Native;
        if (Literal(line, ref at, ",\"origin\":\"syslog\""u8)) origin = NoteOrigin.Syslog;
        else if (Literal(line, ref at, ",\"origin\":\"plain\""u8)) origin = NoteOrigin.PlainText;
        int facility = -1, severity = -1;
        if (Literal(line, ref at, ",\"facility\":"u8))
        {
            if (!Number(line, ref at, out var f) || f > 999 || !Literal(line, ref at, ",\"severity\":"u8) || !Number(line, ref at, out var v) || v > 999) return false;
            (facility, severity) = ((int)f, (int)v);
        }
        if (Literal(line, ref at, ",\"instance\":\""u8))
        {
            if (line.Length < at + 16 || line.Slice(at, 16).IndexOfAnyExcept(HexDigits) >= 0) return false;
            at += 16;
            if (!Literal(line, ref at, "\",\"num\":"u8) || !Number(line, ref at, out _)) return false;
        }
        if (at != line.Length - 1 || line[at] != (byte)'}') return false;
        result = new CanonicalLine(seq, timeMs, client, address, text, origin, facility, severity);
        return true;
    }

    private static readonly System.Buffers.SearchValues<byte> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    /// <summary>Bytes up to the closing quote that JSON takes as they are: no escape, no control character, valid UTF-8.</summary>
    private static readonly System.Buffers.SearchValues<byte> StringEnd = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private static bool PlainString(ReadOnlySpan<byte> line, ref int at, out Range value)
    {
        value = default;
        var end = line[at..].IndexOfAny(StringEnd);
        if (end < 0 || line[at + end] != (byte)'"' || !System.Text.Unicode.Utf8.IsValid(line.Slice(at, end))) return false;
        value = at..(at + end);
        at += end + 1;
        return true;
    }

    private static bool Literal(ReadOnlySpan<byte> line, ref int at, ReadOnlySpan<byte> literal)
    {
        if (!line[at..].StartsWith(literal)) return false;
        at += literal.Length;
        return true;
    }

    /// <summary>A JSON number that is a plain unsigned integer (no sign, fraction, exponent or leading zero) that fits a ulong.</summary>
    private static bool Number(ReadOnlySpan<byte> line, ref int at, out ulong value)
    {
        value = 0;
        var start = at;
        while (at < line.Length && (uint)(line[at] - '0') <= 9)
        {
            if (at - start == 19) return false;
            value = value * 10 + (uint)(line[at] - '0');
            at++;
        }
        // Nineteen digits always fit; a twentieth is left to the JSON reader.
        return at > start && (line[start] != (byte)'0' || at == start + 1) && at < line.Length && line[at] is not ((byte)'.' or (byte)'e' or (byte)'E');
    }

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
        if (!reader.ValueIsEscaped && TryParseTime(reader.ValueSpan, out timeMs)) return true;
        return JournalLine.TryParseTime(reader.GetString() ?? "", out timeMs);
    }

    /// <summary>yyyy-MM-ddTHH:mm:ss.fffZ, as JournalLine writes it; false for anything else, valid or not.</summary>
    private static bool TryParseTime(ReadOnlySpan<byte> v, out long timeMs)
    {
        timeMs = 0;
        if (v.Length == 24 && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[13] == ':' && v[16] == ':' && v[19] == '.' && v[23] == 'Z'
            && Digits(v, 0, 4, out var year) && Digits(v, 5, 2, out var month) && Digits(v, 8, 2, out var day)
            && Digits(v, 11, 2, out var hour) && Digits(v, 14, 2, out var minute) && Digits(v, 17, 2, out var second) && Digits(v, 20, 3, out var ms)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && hour < 24 && minute < 60 && second < 60)
        {
            timeMs = (new DateTime(year, month, day, hour, minute, second, ms, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
            return true;
        }
        return false;
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
