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

    /// <summary>Length of <see cref="TimeFormat"/>'s output: the year is always four digits (0001..9999).</summary>
    private const int TimeLength = 24;

    // Unix milliseconds that DateTimeOffset accepts: 0001-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z.
    private const long MinTimeMs = -62_135_596_800_000;
    private const long MaxTimeMs = 253_402_300_799_999;

    // Pre-encoded once: encoding a name per call showed up as ~4% of server CPU. Plain ASCII letters,
    // so every encoder (the CLI's too) would have written them the same.
    private static readonly JsonEncodedText SeqName = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText ClientName = JsonEncodedText.Encode("client");
    private static readonly JsonEncodedText AddressName = JsonEncodedText.Encode("address");
    private static readonly JsonEncodedText TextName = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText OriginName = JsonEncodedText.Encode("origin");
    private static readonly JsonEncodedText SyslogValue = JsonEncodedText.Encode("syslog");
    private static readonly JsonEncodedText PlainValue = JsonEncodedText.Encode("plain");
    private static readonly JsonEncodedText FacilityName = JsonEncodedText.Encode("facility");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText InstanceName = JsonEncodedText.Encode("instance");
    private static readonly JsonEncodedText NumName = JsonEncodedText.Encode("num");

    public static string FormatTime(long timeMs)
    {
        if (timeMs is < MinTimeMs or > MaxTimeMs) return FormatTimeSlow(timeMs);
        Span<char> text = stackalloc char[TimeLength];
        FormatTimeChars(timeMs, text);
        return new string(text);
    }

    // The culture-driven formatter; kept for times DateTimeOffset rejects, so they throw as they always did.
    private static string FormatTimeSlow(long timeMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes <see cref="TimeFormat"/> for an in-range <paramref name="timeMs"/> by hand: DateTime.TryFormat with a
    /// custom format was ~10% of server CPU on the commit path. Chars, not UTF-8 bytes: the writer checks a UTF-8
    /// value for escaping one scalar at a time through the custom encoder, several times slower than a UTF-16 one.
    /// </summary>
    private static void FormatTimeChars(long timeMs, Span<char> text)
    {
        // Milliseconds since 0001-01-01, never negative in range, so / and % need no floor correction.
        var sinceYearOne = (ulong)(timeMs - MinTimeMs);
        var msOfDay = (uint)(sinceYearOne % 86_400_000);
        new DateTime((long)(sinceYearOne - msOfDay) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc)
            .Deconstruct(out int year, out int month, out int day);

        _ = text[TimeLength - 1];
        WriteDigits2(text, 0, (uint)year / 100);
        WriteDigits2(text, 2, (uint)year % 100);
        text[4] = '-';
        WriteDigits2(text, 5, (uint)month);
        text[7] = '-';
        WriteDigits2(text, 8, (uint)day);
        text[10] = 'T';
        var seconds = msOfDay / 1000;
        WriteDigits2(text, 11, seconds / 3600);
        text[13] = ':';
        WriteDigits2(text, 14, seconds / 60 % 60);
        text[16] = ':';
        WriteDigits2(text, 17, seconds % 60);
        text[19] = '.';
        var ms = msOfDay % 1000;
        text[20] = (char)('0' + ms / 100);
        WriteDigits2(text, 21, ms % 100);
        text[23] = 'Z';
    }

    private static void WriteDigits2(Span<char> text, int at, uint value)
    {
        text[at] = (char)('0' + value / 10);
        text[at + 1] = (char)('0' + value % 10);
    }

    /// <summary>The same 16 lowercase digits as "x16", without the generic number formatter (~2% of server CPU).</summary>
    private static void FormatHex16(ulong value, Span<char> text)
    {
        _ = text[15];
        for (var i = 15; i >= 0; i--)
        {
            text[i] = "0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }
    }

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
        var state = t_state ??= new LineState(new Utf8JsonWriter(output, WriterOptions));
        state.Json.Reset(output);
        WriteObject(state.Json, r, includeDedup: true, state);
        state.Json.Flush();
        output.Write("\n"u8);
    }

    [ThreadStatic]
    private static LineState? t_state;

    /// <summary>A commit thread's writer and its last formatted time: under load, consecutive notes share the millisecond.</summary>
    private sealed class LineState(Utf8JsonWriter json)
    {
        public readonly Utf8JsonWriter Json = json;
        public readonly char[] Time = new char[TimeLength];

        /// <summary>What <see cref="Time"/> holds; out of range at first, so the first line formats.</summary>
        public long TimeMs = long.MinValue;
    }

    /// <summary>Writes the public fields (what `history --format json` prints) and, for the file, the dedup pair.</summary>
    public static void WriteObject(Utf8JsonWriter json, JournalRecord r, bool includeDedup) => WriteObject(json, r, includeDedup, state: null);

    private static void WriteObject(Utf8JsonWriter json, JournalRecord r, bool includeDedup, LineState? state)
    {
        json.WriteStartObject();
        json.WriteNumber(SeqName, r.Seq);
        if (r.TimeMs is < MinTimeMs or > MaxTimeMs)
        {
            json.WriteString(TimeName, FormatTimeSlow(r.TimeMs));
        }
        else if (state is not null)
        {
            if (state.TimeMs != r.TimeMs)
            {
                FormatTimeChars(r.TimeMs, state.Time);
                state.TimeMs = r.TimeMs;
            }
            json.WriteString(TimeName, state.Time);
        }
        else
        {
            Span<char> time = stackalloc char[TimeLength];
            FormatTimeChars(r.TimeMs, time);
            json.WriteString(TimeName, time);
        }
        WriteFields(json, r.Client, r.Address, r.Text, r.Origin, r.Priority, includeDedup ? r.Instance : 0, r.Number);
        json.WriteEndObject();
    }

    /// <summary>Everything after seq and time, in the order of the line.</summary>
    private static void WriteFields(Utf8JsonWriter json, string client, string address, string text, NoteOrigin origin, byte? priority, ulong instanceId, ulong number)
    {
        json.WriteString(ClientName, client);
        json.WriteString(AddressName, address);
        json.WriteString(TextName, text);
        WriteFieldsAfterText(json, origin, priority, instanceId, number);
    }

    private static void WriteFieldsAfterText(Utf8JsonWriter json, NoteOrigin origin, byte? priority, ulong instanceId, ulong number)
    {
        if (origin != NoteOrigin.Native) json.WriteString(OriginName, origin == NoteOrigin.Syslog ? SyslogValue : PlainValue);
        if (priority is { } pri)
        {
            json.WriteNumber(FacilityName, pri >> 3);
            json.WriteNumber(SeverityName, pri & 7);
        }
        if (instanceId != 0)
        {
            Span<char> instance = stackalloc char[16];
            FormatHex16(instanceId, instance);
            json.WriteString(InstanceName, instance);
            json.WriteNumber(NumName, number);
        }
    }

    /// <summary>
    /// The part of a note's line that is known before it is stored: an object of its fields after seq and time.
    /// The receive thread encodes it, so the commit thread (the one that cannot run in parallel) only prefixes
    /// seq and time (<see cref="WriteWithTail"/>). The text is the note's <see cref="PendingNote.Text"/>.
    /// </summary>
    public static void WriteTail(in PendingNote n, IBufferWriter<byte> output)
    {
        var text = n.Text ?? throw new ArgumentException("a note without text needs its text as UTF-8", nameof(n));
        if (IsVerbatim(n.Client) && IsVerbatim(n.Address) && IsVerbatim(text))
        {
            var span = StartTailVerbatim(n, 3 * text.Length, output, out var at);
            PutUtf16(span, ref at, text);
            EndTailVerbatim(n, span, at, output);
            return;
        }
        var json = StartTailJson(n, output);
        json.WriteString(TextName, text);
        EndTailJson(json, n);
    }

    /// <summary>
    /// The same tail, with the text as the UTF-8 bytes that came on the wire (valid UTF-8, checked by
    /// <see cref="NoteRules.Check(ReadOnlySpan{byte})"/>): a native note's text never becomes a string on the server.
    /// </summary>
    public static void WriteTail(in PendingNote n, ReadOnlySpan<byte> textUtf8, IBufferWriter<byte> output)
    {
        if (IsVerbatim(n.Client) && IsVerbatim(n.Address) && IsVerbatim(textUtf8))
        {
            var span = StartTailVerbatim(n, textUtf8.Length, output, out var at);
            Put(span, ref at, textUtf8);
            EndTailVerbatim(n, span, at, output);
            return;
        }
        var json = StartTailJson(n, output);
        json.WriteString(TextName, textUtf8);
        EndTailJson(json, n);
    }

    private static Utf8JsonWriter StartTailJson(in PendingNote n, IBufferWriter<byte> output)
    {
        var state = t_state ??= new LineState(new Utf8JsonWriter(output, WriterOptions));
        state.Json.Reset(output);
        state.Json.WriteStartObject();
        state.Json.WriteString(ClientName, n.Client);
        state.Json.WriteString(AddressName, n.Address);
        return state.Json;
    }

    private static void EndTailJson(Utf8JsonWriter json, in PendingNote n)
    {
        WriteFieldsAfterText(json, n.Origin, n.Priority, n.Instance, n.Number);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Nothing the journal escapes: what the JSON writer would copy unchanged (as UTF-8).</summary>
    private static bool IsVerbatim(string value) => JournalTextEncoder.Instance.FindFirstCharacterToEncode(value) < 0;

    private static bool IsVerbatim(ReadOnlySpan<byte> utf8) => JournalTextEncoder.Instance.FindFirstCharacterToEncodeUtf8(utf8) < 0;

    // The tail as the JSON writer writes it, for fields that need no escaping (most notes): copied, not escaped
    // character by character, since this runs on the receive thread for every note.
    private static Span<byte> StartTailVerbatim(in PendingNote n, int textLength, IBufferWriter<byte> output, out int at)
    {
        var span = output.GetSpan(160 + 3 * (n.Client.Length + n.Address.Length) + textLength);
        at = 0;
        Put(span, ref at, "{\"client\":\""u8);
        PutUtf16(span, ref at, n.Client);
        Put(span, ref at, "\",\"address\":\""u8);
        PutUtf16(span, ref at, n.Address);
        Put(span, ref at, "\",\"text\":\""u8);
        return span;
    }

    private static void EndTailVerbatim(in PendingNote n, Span<byte> span, int at, IBufferWriter<byte> output)
    {
        span[at++] = (byte)'"';
        if (n.Origin != NoteOrigin.Native) Put(span, ref at, n.Origin == NoteOrigin.Syslog ? ",\"origin\":\"syslog\""u8 : ",\"origin\":\"plain\""u8);
        if (n.Priority is { } pri)
        {
            Put(span, ref at, ",\"facility\":"u8);
            PutNumber(span, ref at, (ulong)(pri >> 3));
            Put(span, ref at, ",\"severity\":"u8);
            PutNumber(span, ref at, (ulong)(pri & 7));
        }
        if (n.Instance != 0)
        {
            Put(span, ref at, ",\"instance\":\""u8);
            Span<char> hex = stackalloc char[16];
            FormatHex16(n.Instance, hex);
            PutAscii(span, ref at, hex);
            Put(span, ref at, "\",\"num\":"u8);
            PutNumber(span, ref at, n.Number);
        }
        span[at++] = (byte)'}';
        output.Advance(at);
    }

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    private static void PutUtf16(Span<byte> span, ref int at, ReadOnlySpan<char> text) =>
        at += System.Text.Encoding.UTF8.GetBytes(text, span[at..]);

    private static void PutAscii(Span<byte> span, ref int at, ReadOnlySpan<char> ascii)
    {
        System.Text.Ascii.FromUtf16(ascii, span[at..], out var written);
        at += written;
    }

    private static void PutNumber(Span<byte> span, ref int at, ulong value)
    {
        value.TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture);
        at += written;
    }

    /// <summary>The same bytes as <see cref="Write"/> gives, from a tail made by <see cref="WriteTail"/>.</summary>
    public static void WriteWithTail(ulong seq, long timeMs, ReadOnlySpan<byte> tail, IBufferWriter<byte> output)
    {
        if (tail.Length < 2 || tail[0] != (byte)'{') throw new ArgumentException("not a tail written by WriteTail", nameof(tail));
        var state = t_state ??= new LineState(new Utf8JsonWriter(output, WriterOptions));
        var span = output.GetSpan(64 + tail.Length);
        "{\"seq\":"u8.CopyTo(span);
        var at = 7;
        seq.TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture);
        at += written;
        ",\"time\":\""u8.CopyTo(span[at..]);
        at += 9;
        if (timeMs is < MinTimeMs or > MaxTimeMs)
        {
            at += System.Text.Encoding.ASCII.GetBytes(FormatTimeSlow(timeMs), span[at..]);
        }
        else
        {
            if (state.TimeMs != timeMs)
            {
                FormatTimeChars(timeMs, state.Time);
                state.TimeMs = timeMs;
            }
            for (var i = 0; i < TimeLength; i++) span[at + i] = (byte)state.Time[i];
            at += TimeLength;
        }
        span[at++] = (byte)'"';
        span[at++] = (byte)',';
        tail[1..].CopyTo(span[at..]);
        at += tail.Length - 1;
        span[at++] = (byte)'\n';
        output.Advance(at);
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
