using System.Globalization;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// Turns a journal line straight into a note as a history page carries it, with no record, note or string in
/// between: a history fetch reads every line once, and building objects only to encode them again was most of
/// its cost. The line is read here; the note's bytes are written by <see cref="NoteWireFormat.TryWrite"/>.
/// Gives exactly what encoding <c>JournalLine.TryParse(line).ToNote()</c> gives, and refuses exactly
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
            if (name.SequenceEqual(NoteJson.SeqName.EncodedUtf8Bytes))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out seq)) return false;
            }
            else if (name.SequenceEqual(NoteJson.TimeName.EncodedUtf8Bytes)) hasTime = TryReadTime(ref reader, out timeMs);
            else if (name.SequenceEqual(NoteJson.ClientName.EncodedUtf8Bytes)) hasClient = TryReadString(ref reader, line, scratch, ref used, out client);
            else if (name.SequenceEqual(NoteJson.AddressName.EncodedUtf8Bytes)) hasAddress = TryReadString(ref reader, line, scratch, ref used, out address);
            else if (name.SequenceEqual(NoteJson.TextName.EncodedUtf8Bytes)) hasText = TryReadString(ref reader, line, scratch, ref used, out text);
            else if (name.SequenceEqual(NoteJson.OriginName.EncodedUtf8Bytes))
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) return false;
                // GetString() refuses UTF-8 that is not valid, even where only its value's kind matters.
                if (reader.TokenType == JsonTokenType.String && !TryReadString(ref reader, line, scratch, ref used, out _)) return false;
                origin = reader.TokenType != JsonTokenType.String ? NoteOrigin.PlainText
                    : reader.ValueIsEscaped ? NoteJson.ParseOrigin(reader.GetString()) : NoteJson.ParseOrigin(reader.ValueSpan);
            }
            else if (name.SequenceEqual(NoteJson.FacilityName.EncodedUtf8Bytes))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out facility)) return false;
            }
            else if (name.SequenceEqual(NoteJson.SeverityName.EncodedUtf8Bytes))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out severity)) return false;
            }
            else if (name.SequenceEqual(JournalLine.InstanceName.EncodedUtf8Bytes))
            {
                if (!IsHex(ref reader, scratch[used..])) return false;
            }
            else if (name.SequenceEqual(JournalLine.NumName.EncodedUtf8Bytes))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out _)) return false;
            }
            else reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return false;
        if (seq == 0 || !hasTime || !hasClient || !hasAddress || !hasText) return false;
        return Emit(seq, timeMs, client.Of(line, scratch), address.Of(line, scratch), text.Of(line, scratch), origin, facility, severity, destination, out written);
    }

    /// <summary>The note's bytes, written by the protocol's one writer of them.</summary>
    private static bool Emit(ulong seq, long timeMs, ReadOnlySpan<byte> client, ReadOnlySpan<byte> address, ReadOnlySpan<byte> text,
        NoteOrigin origin, int facility, int severity, Span<byte> destination, out int written) =>
        NoteWireFormat.TryWrite(destination, seq, timeMs, client, address, text, origin, NoteJson.Priority(facility, severity), out written);

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
        if (!Literal(line, ref at, ",\"time\":\""u8) || line.Length < at + NoteJson.TimeLength || !NoteJson.TryParseExactTime(line.Slice(at, NoteJson.TimeLength), out var timeMs)) return false;
        at += NoteJson.TimeLength;
        if (!Literal(line, ref at, "\",\"client\":\""u8) || !PlainString(line, ref at, out var client)) return false;
        if (!Literal(line, ref at, ",\"address\":\""u8) || !PlainString(line, ref at, out var address)) return false;
        if (!Literal(line, ref at, ",\"text\":\""u8) || !PlainString(line, ref at, out var text)) return false;
        var origin = NoteOrigin.Native;
        if (Literal(line, ref at, ",\"origin\":\"syslog\""u8)) origin = NoteOrigin.Syslog;
        else if (Literal(line, ref at, ",\"origin\":\"plain\""u8)) origin = NoteOrigin.PlainText;
        else if (Literal(line, ref at, ",\"origin\":\"web\""u8)) origin = NoteOrigin.Web;
        else if (Literal(line, ref at, ",\"origin\":\"bot\""u8)) origin = NoteOrigin.Bot;
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

    /// <summary>The journal's own format by hand; anything else through <see cref="NoteJson.TryParseTime(string, out long)"/>.</summary>
    private static bool TryReadTime(ref Utf8JsonReader reader, out long timeMs)
    {
        timeMs = 0;
        if (reader.TokenType == JsonTokenType.Null) return NoteJson.TryParseTime("", out timeMs);
        if (reader.TokenType != JsonTokenType.String) throw new InvalidOperationException("not a string");
        if (!reader.ValueIsEscaped && NoteJson.TryParseExactTime(reader.ValueSpan, out timeMs)) return true;
        return NoteJson.TryParseTime(reader.GetString() ?? "", out timeMs);
    }
}
