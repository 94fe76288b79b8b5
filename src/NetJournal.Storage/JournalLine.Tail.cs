using System.Buffers;
using System.Globalization;
using System.Text.Json;
using NetJournal.Protocol;

namespace NetJournal.Storage;

// A line in two steps: its tail (everything after seq and time) on the receive thread, then seq and time in front of
// it on the commit thread.
public static partial class JournalLine
{
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
        var json = StartTailJson(output);
        NoteJson.WriteFields(json, n.Client, n.Address, text, n.Origin, n.Priority);
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
        var json = StartTailJson(output);
        NoteJson.WriteFields(json, n.Client, n.Address, textUtf8, n.Origin, n.Priority);
        EndTailJson(json, n);
    }

    private static Utf8JsonWriter StartTailJson(IBufferWriter<byte> output)
    {
        var json = State(output).Json;
        json.Reset(output);
        json.WriteStartObject();
        return json;
    }

    private static void EndTailJson(Utf8JsonWriter json, in PendingNote n)
    {
        WriteDedup(json, n.Instance, n.Number);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Nothing the journal escapes: what the JSON writer would copy unchanged (as UTF-8).</summary>
    private static bool IsVerbatim(string value) => JournalTextEncoder.Instance.FindFirstCharacterToEncode(value) < 0;

    private static bool IsVerbatim(ReadOnlySpan<byte> utf8) => JournalTextEncoder.Instance.FindFirstCharacterToEncodeUtf8(utf8) < 0;

    // The tail as the JSON writer writes it through NoteJson.WriteFields and WriteDedup, for fields that need no
    // escaping (most notes): copied, not escaped character by character, since this runs on the receive thread for
    // every note. Tests hold these bytes equal to the writer's.
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
        if (n.Origin != NoteOrigin.Native) Put(span, ref at, n.Origin switch
        {
            NoteOrigin.Syslog => ",\"origin\":\"syslog\""u8,
            NoteOrigin.Web => ",\"origin\":\"web\""u8,
            NoteOrigin.Bot => ",\"origin\":\"bot\""u8,
            _ => ",\"origin\":\"plain\""u8,
        });
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

    /// <summary>The same bytes as <see cref="Write"/> gives, from a tail made by <see cref="WriteTail(in PendingNote, IBufferWriter{byte})"/>.</summary>
    /// <exception cref="ArgumentException">The tail is not one WriteTail made.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The time is outside the years 1 to 9999.</exception>
    public static void WriteWithTail(ulong seq, long timeMs, ReadOnlySpan<byte> tail, IBufferWriter<byte> output)
    {
        if (tail.Length < 2 || tail[0] != (byte)'{') throw new ArgumentException("not a tail written by WriteTail", nameof(tail));
        var time = State(output).FormatTime(timeMs);
        var span = output.GetSpan(64 + tail.Length);
        "{\"seq\":"u8.CopyTo(span);
        var at = 7;
        seq.TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture);
        at += written;
        ",\"time\":\""u8.CopyTo(span[at..]);
        at += 9;
        for (var i = 0; i < time.Length; i++) span[at + i] = (byte)time[i];
        at += time.Length;
        span[at++] = (byte)'"';
        span[at++] = (byte)',';
        tail[1..].CopyTo(span[at..]);
        at += tail.Length - 1;
        span[at++] = (byte)'\n';
        output.Advance(at);
    }
}
