using System.Buffers;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Storage;

/// <summary>
/// The journal's line format: one JSON object per line, UTF-8, with non-ASCII text kept readable
/// (grep finds Chinese as typed). Control characters are escaped by JSON itself, so a line never holds a raw newline.
/// The members are the note's (<see cref="NoteJson"/>) followed by the dedup pair of a note that has one:
/// <c>"instance":"16 hex digits","num":N</c>. Written whole (JournalLine.Write.cs) or from a tail made before the
/// commit (JournalLine.Tail.cs); read back by JournalLine.Parse.cs.
/// </summary>
public static partial class JournalLine
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JournalTextEncoder.Instance,
        SkipValidation = true,
    };

    // The dedup pair's names; the note's own are NoteJson's.
    internal static readonly JsonEncodedText InstanceName = JsonEncodedText.Encode("instance");
    internal static readonly JsonEncodedText NumName = JsonEncodedText.Encode("num");

    /// <summary>The time text of a line: <see cref="NoteJson.FormatTime(long)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is outside the years 1 to 9999.</exception>
    public static string FormatTime(long timeMs) => NoteJson.FormatTime(timeMs);

    /// <summary>Reads a line's time text: <see cref="NoteJson.TryParseTime(string, out long)"/>.</summary>
    public static bool TryParseTime(string text, out long timeMs) => NoteJson.TryParseTime(text, out timeMs);

    [ThreadStatic]
    private static LineState? t_state;

    private static LineState State(IBufferWriter<byte> output) => t_state ??= new LineState(new Utf8JsonWriter(output, WriterOptions));

    /// <summary>A commit thread's writer and its last formatted time: under load, consecutive notes share the millisecond.</summary>
    private sealed class LineState(Utf8JsonWriter json)
    {
        public readonly Utf8JsonWriter Json = json;
        public readonly char[] Time = new char[NoteJson.TimeLength];

        /// <summary>What <see cref="Time"/> holds; out of range at first, so the first line formats.</summary>
        public long TimeMs = long.MinValue;

        /// <summary>The time text of <paramref name="timeMs"/>, formatted only when it changed.</summary>
        public ReadOnlySpan<char> FormatTime(long timeMs)
        {
            if (TimeMs != timeMs)
            {
                NoteJson.FormatTime(timeMs, Time);
                TimeMs = timeMs;
            }
            return Time;
        }
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

    /// <summary>The dedup pair, the last members of a line; nothing for a note without one (instance 0).</summary>
    private static void WriteDedup(Utf8JsonWriter json, ulong instance, ulong number)
    {
        if (instance == 0) return;
        Span<char> hex = stackalloc char[16];
        FormatHex16(instance, hex);
        json.WriteString(InstanceName, hex);
        json.WriteNumber(NumName, number);
    }
}
