using System.Globalization;
using System.Text.Json;

namespace NetJournal.Protocol;

/// <summary>
/// A note as a JSON object: <c>{"seq":N,"time":"yyyy-MM-ddTHH:mm:ss.fffZ","client":"…","address":"…","text":"…"}</c>,
/// then <c>"origin":"plain"|"syslog"</c> for a note that did not come natively and <c>"facility":N,"severity":N</c>
/// for one with a syslog priority (RFC 5424 section 6.2.1). The one owner of these members, their names and their
/// order: the journal line (which adds its dedup pair after them) and `history --format json` both write them here.
/// Strings are escaped by <see cref="JournalTextEncoder"/>.
/// </summary>
public static class NoteJson
{
    // Pre-encoded once: encoding a name per call showed up as ~4% of server CPU. Plain ASCII letters, so
    // EncodedUtf8Bytes are the names themselves, and every encoder writes them the same.

    /// <summary>"seq": the note's sequence number, a JSON number.</summary>
    public static readonly JsonEncodedText SeqName = JsonEncodedText.Encode("seq");

    /// <summary>"time": when the server stored the note, the text of <see cref="FormatTime(long)"/>.</summary>
    public static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");

    /// <summary>"client": the writer's name.</summary>
    public static readonly JsonEncodedText ClientName = JsonEncodedText.Encode("client");

    /// <summary>"address": the writer's IP address and port.</summary>
    public static readonly JsonEncodedText AddressName = JsonEncodedText.Encode("address");

    /// <summary>"text": the note.</summary>
    public static readonly JsonEncodedText TextName = JsonEncodedText.Encode("text");

    /// <summary>"origin": <see cref="PlainOrigin"/>, <see cref="SyslogOrigin"/>, <see cref="WebOrigin"/> or <see cref="BotOrigin"/>; absent for a native note.</summary>
    public static readonly JsonEncodedText OriginName = JsonEncodedText.Encode("origin");

    /// <summary>"facility": the syslog facility (0 to 23) of a note with a priority.</summary>
    public static readonly JsonEncodedText FacilityName = JsonEncodedText.Encode("facility");

    /// <summary>"severity": the syslog severity (0 to 7) of a note with a priority.</summary>
    public static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");

    /// <summary>The origin of a syslog note; any other origin string reads as plain text.</summary>
    public static readonly JsonEncodedText SyslogOrigin = JsonEncodedText.Encode("syslog");

    /// <summary>The origin of a note that came as a plain UDP text datagram.</summary>
    public static readonly JsonEncodedText PlainOrigin = JsonEncodedText.Encode("plain");

    /// <summary>The origin of a note posted from the web view.</summary>
    public static readonly JsonEncodedText WebOrigin = JsonEncodedText.Encode("web");

    /// <summary>The origin of the bot's answers.</summary>
    public static readonly JsonEncodedText BotOrigin = JsonEncodedText.Encode("bot");

    /// <summary>The "origin" member's value for a note that has one (not native).</summary>
    public static JsonEncodedText OriginText(NoteOrigin origin) => origin switch
    {
        NoteOrigin.Syslog => SyslogOrigin,
        NoteOrigin.Web => WebOrigin,
        NoteOrigin.Bot => BotOrigin,
        _ => PlainOrigin,
    };

    /// <summary>Options for a writer of notes for people and programs: validating, strings escaped as the journal does.</summary>
    public static JsonWriterOptions WriterOptions => new() { Encoder = JournalTextEncoder.Instance };

    /// <summary>Length of the time text, yyyy-MM-ddTHH:mm:ss.fffZ: the year is always four digits (0001..9999).</summary>
    public const int TimeLength = 24;

    // Unix milliseconds that DateTimeOffset accepts: 0001-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z.
    private const long MinTimeMs = -62_135_596_800_000;
    private const long MaxTimeMs = 253_402_300_799_999;

    /// <summary>Writes <paramref name="note"/> as one object: the public form, what `history --format json` prints.</summary>
    public static void Write(Utf8JsonWriter json, Note note)
    {
        Span<char> time = stackalloc char[TimeLength];
        FormatTime(note.TimeMs, time);
        json.WriteStartObject();
        WriteSeqAndTime(json, note.Seq, time);
        WriteFields(json, note.Client, note.Address, note.Text, note.Origin, note.Priority);
        json.WriteEndObject();
    }

    /// <summary>The first two members: seq, and time as <see cref="FormatTime(long, Span{char})"/> wrote it.</summary>
    public static void WriteSeqAndTime(Utf8JsonWriter json, ulong seq, ReadOnlySpan<char> time)
    {
        json.WriteNumber(SeqName, seq);
        json.WriteString(TimeName, time);
    }

    /// <summary>The members after seq and time, in order: client, address, text, then origin and priority where the note has them.</summary>
    public static void WriteFields(Utf8JsonWriter json, string client, string address, string text, NoteOrigin origin, byte? priority)
    {
        json.WriteString(ClientName, client);
        json.WriteString(AddressName, address);
        json.WriteString(TextName, text);
        WriteOriginAndPriority(json, origin, priority);
    }

    /// <summary>As <see cref="WriteFields(Utf8JsonWriter, string, string, string, NoteOrigin, byte?)"/>, the text as valid UTF-8.</summary>
    public static void WriteFields(Utf8JsonWriter json, string client, string address, ReadOnlySpan<byte> textUtf8, NoteOrigin origin, byte? priority)
    {
        json.WriteString(ClientName, client);
        json.WriteString(AddressName, address);
        json.WriteString(TextName, textUtf8);
        WriteOriginAndPriority(json, origin, priority);
    }

    private static void WriteOriginAndPriority(Utf8JsonWriter json, NoteOrigin origin, byte? priority)
    {
        if (origin != NoteOrigin.Native) json.WriteString(OriginName, OriginText(origin));
        if (priority is { } pri)
        {
            json.WriteNumber(FacilityName, pri >> 3);
            json.WriteNumber(SeverityName, pri & 7);
        }
    }

    /// <summary>The origin an "origin" member names: syslog, web or bot, else plain text (a missing member is a native note).</summary>
    public static NoteOrigin ParseOrigin(ReadOnlySpan<char> value) =>
        value.SequenceEqual(SyslogOrigin.Value) ? NoteOrigin.Syslog
        : value.SequenceEqual(WebOrigin.Value) ? NoteOrigin.Web
        : value.SequenceEqual(BotOrigin.Value) ? NoteOrigin.Bot
        : NoteOrigin.PlainText;

    /// <summary>As <see cref="ParseOrigin(ReadOnlySpan{char})"/>, from the member's UTF-8 value.</summary>
    public static NoteOrigin ParseOrigin(ReadOnlySpan<byte> value) =>
        value.SequenceEqual(SyslogOrigin.EncodedUtf8Bytes) ? NoteOrigin.Syslog
        : value.SequenceEqual(WebOrigin.EncodedUtf8Bytes) ? NoteOrigin.Web
        : value.SequenceEqual(BotOrigin.EncodedUtf8Bytes) ? NoteOrigin.Bot
        : NoteOrigin.PlainText;

    /// <summary>The priority of a facility (0 to 23) and severity (0 to 7) pair; null when either is missing (-1) or out of range.</summary>
    public static byte? Priority(int facility, int severity) =>
        facility is >= 0 and <= 23 && severity is >= 0 and <= 7 ? (byte)(facility * 8 + severity) : null;

    /// <summary>The time text of Unix milliseconds <paramref name="timeMs"/>, UTC with milliseconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is outside the years 1 to 9999.</exception>
    public static string FormatTime(long timeMs)
    {
        Span<char> text = stackalloc char[TimeLength];
        FormatTime(timeMs, text);
        return new string(text);
    }

    /// <summary>
    /// Writes the <see cref="TimeLength"/> characters of the time text to <paramref name="text"/>, by hand:
    /// DateTime.TryFormat with a custom format was ~10% of server CPU on the commit path. Chars, not UTF-8 bytes: the
    /// JSON writer checks a UTF-8 value for escaping one scalar at a time through the custom encoder, several times
    /// slower than a UTF-16 one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is outside the years 1 to 9999.</exception>
    public static void FormatTime(long timeMs, Span<char> text)
    {
        // The exception DateTimeOffset throws for these times, as the custom-format formatter this replaced did.
        if (timeMs is < MinTimeMs or > MaxTimeMs)
            throw new ArgumentOutOfRangeException(nameof(timeMs), timeMs, "a time is within the years 1 to 9999");

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

    /// <summary>Reads a time: the written form, or any ISO 8601 time (no offset means UTC) as the same instant.</summary>
    public static bool TryParseTime(string text, out long timeMs)
    {
        timeMs = 0;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return false;
        timeMs = t.ToUnixTimeMilliseconds();
        return true;
    }

    /// <summary>
    /// Reads exactly the written form, yyyy-MM-ddTHH:mm:ss.fffZ, from UTF-8 without a string; false for anything
    /// else, valid or not (<see cref="TryParseTime(string, out long)"/> decides those).
    /// </summary>
    public static bool TryParseExactTime(ReadOnlySpan<byte> v, out long timeMs)
    {
        timeMs = 0;
        if (v.Length == TimeLength && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[13] == ':' && v[16] == ':' && v[19] == '.' && v[23] == 'Z'
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
