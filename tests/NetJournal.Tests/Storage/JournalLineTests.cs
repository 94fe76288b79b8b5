using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Tests.Storage;

public class JournalLineTests
{
    // 2026-11-25T13:21:11.123Z
    private static readonly long SampleTime = new DateTimeOffset(2026, 11, 25, 13, 21, 11, 123, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static byte[] Write(JournalRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JournalLine.Write(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static JournalRecord? Parse(byte[] line) => JournalLine.TryParse(line.AsSpan(0, line.Length - 1));

    private static JsonElement Json(byte[] line) => JsonDocument.Parse(line).RootElement;

    [Theory]
    [InlineData("今天天气很好 🙂")]
    [InlineData("emoji 😀👍💾 and 中文")]
    [InlineData("escape \u001b[31mred\u001b[0m bell \a NUL \0 tab \t")]
    [InlineData("quotes \"双引号\" and 'single'")]
    [InlineData("back\\slash C:\\日志\\")]
    [InlineData("</script><!-- & + ` html-ish")]
    [InlineData("\u2028 line separator \u2029 paragraph separator \u0085 next line")]
    [InlineData(" ")]
    public void Write_then_parse_round_trips_the_text(string text)
    {
        var record = new JournalRecord(42, SampleTime, "办公室电脑 🙂", "192.168.1.5:5000", text, Instance: 0xABCDEF0123456789, Number: 7);

        var line = Write(record);

        Assert.Equal(record, Parse(line));
    }

    [Fact]
    public void A_line_is_one_json_object_ending_in_a_single_newline()
    {
        var line = Write(new JournalRecord(1, SampleTime, "c", "a", "line one\nline two\r\n"));

        Assert.Equal((byte)'\n', line[^1]);
        Assert.Equal(1, line.Count(b => b == (byte)'\n'));
        Assert.DoesNotContain((byte)'\r', line);
        Assert.Equal(JsonValueKind.Object, Json(line).ValueKind);
    }

    [Fact]
    public void A_line_holds_seq_time_client_address_and_text()
    {
        var line = Write(new JournalRecord(42, SampleTime, "办公室电脑", "[::1]:5000", "今天天气很好 🙂"));

        var json = Json(line);

        Assert.Equal(42UL, json.GetProperty("seq").GetUInt64());
        Assert.Equal("2026-11-25T13:21:11.123Z", json.GetProperty("time").GetString());
        Assert.Equal("办公室电脑", json.GetProperty("client").GetString());
        Assert.Equal("[::1]:5000", json.GetProperty("address").GetString());
        Assert.Equal("今天天气很好 🙂", json.GetProperty("text").GetString());
        Assert.False(json.TryGetProperty("origin", out _));
        Assert.False(json.TryGetProperty("facility", out _));
        Assert.False(json.TryGetProperty("severity", out _));
        Assert.False(json.TryGetProperty("instance", out _));
        Assert.False(json.TryGetProperty("num", out _));
    }

    [Fact]
    public void Chinese_is_written_as_raw_utf8_not_escapes()
    {
        var line = Write(new JournalRecord(1, SampleTime, "办公室电脑", "a", "今天天气很好"));
        var text = Encoding.UTF8.GetString(line);

        Assert.Contains("\"text\":\"今天天气很好\"", text, StringComparison.Ordinal);
        Assert.Contains("\"client\":\"办公室电脑\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Emoji_are_written_as_raw_utf8_so_grep_finds_them()
    {
        var text = Encoding.UTF8.GetString(Write(new JournalRecord(1, SampleTime, "c", "a", "午饭 🍜 done 👍")));

        Assert.Contains("\"text\":\"午饭 🍜 done 👍\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotes_backslashes_and_bidi_overrides_are_escaped_and_read_back_exactly()
    {
        const string tricky = "say \"hi\" c:\\temp \u202Eevil\u2066 \u0085 end";
        var line = Write(new JournalRecord(1, SampleTime, "c", "a", tricky));
        var text = Encoding.UTF8.GetString(line);

        Assert.DoesNotContain('\u202E', text);
        Assert.DoesNotContain('\u0085', text);
        Assert.Equal(tricky, JournalLine.TryParse(line.AsSpan(0, line.Length - 1))!.Text);
    }

    [Fact]
    public void Control_characters_are_escaped_so_the_line_holds_no_raw_control_bytes()
    {
        var line = Write(new JournalRecord(1, SampleTime, "c", "a", "esc \u001b nul \0 del-ish \u007f"));

        Assert.DoesNotContain((byte)0x1B, line);
        Assert.DoesNotContain((byte)0x00, line);
        Assert.Contains("\\u001B", Encoding.UTF8.GetString(line), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Syslog_fields_are_present_only_when_priority_is_set()
    {
        var syslog = Json(Write(new JournalRecord(1, SampleTime, "路由器", "10.0.0.1:514", "链路 up", NoteOrigin.Syslog, 13)));
        var plain = Json(Write(new JournalRecord(2, SampleTime, "10.0.0.2", "10.0.0.2:514", "纯文本", NoteOrigin.PlainText)));

        Assert.Equal("syslog", syslog.GetProperty("origin").GetString());
        Assert.Equal(1, syslog.GetProperty("facility").GetInt32());
        Assert.Equal(5, syslog.GetProperty("severity").GetInt32());
        Assert.Equal("plain", plain.GetProperty("origin").GetString());
        Assert.False(plain.TryGetProperty("facility", out _));
        Assert.False(plain.TryGetProperty("severity", out _));
    }

    [Theory]
    [InlineData(NoteOrigin.Syslog, (byte)0)]
    [InlineData(NoteOrigin.Syslog, (byte)13)]
    [InlineData(NoteOrigin.Syslog, (byte)191)]
    [InlineData(NoteOrigin.PlainText, null)]
    [InlineData(NoteOrigin.Web, null)]
    [InlineData(NoteOrigin.Bot, null)]
    [InlineData(NoteOrigin.Native, null)]
    public void Origin_and_priority_round_trip(NoteOrigin origin, byte? priority)
    {
        var record = new JournalRecord(9, SampleTime, "路由器", "10.0.0.1:514", "链路 up", origin, priority);

        Assert.Equal(record, Parse(Write(record)));
    }

    [Fact]
    public void Dedup_pair_is_written_as_hex_instance_and_number()
    {
        var json = Json(Write(new JournalRecord(1, SampleTime, "c", "a", "t", Instance: 0x00000000000000FF, Number: 12)));

        Assert.Equal("00000000000000ff", json.GetProperty("instance").GetString());
        Assert.Equal(12UL, json.GetProperty("num").GetUInt64());
    }

    [Fact]
    public void Public_object_leaves_out_the_dedup_pair()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            JournalLine.WriteObject(writer, new JournalRecord(1, SampleTime, "c", "a", "今天", Instance: 5, Number: 6), includeDedup: false);

        var json = JsonDocument.Parse(buffer.WrittenMemory).RootElement;

        Assert.False(json.TryGetProperty("instance", out _));
        Assert.False(json.TryGetProperty("num", out _));
        Assert.Equal("今天", json.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000Z")]
    [InlineData(1_764_076_871_123L, "2025-11-25T13:21:11.123Z")]
    [InlineData(1_764_076_871_005L, "2025-11-25T13:21:11.005Z")]
    public void Time_is_iso_8601_utc_with_milliseconds(long timeMs, string expected)
    {
        Assert.Equal(expected, JournalLine.FormatTime(timeMs));
        Assert.True(JournalLine.TryParseTime(expected, out var parsed));
        Assert.Equal(timeMs, parsed);
    }

    [Fact]
    public void Time_with_an_offset_is_read_as_the_same_instant()
    {
        Assert.True(JournalLine.TryParseTime("2026-11-25T21:21:11.123+08:00", out var parsed));
        Assert.Equal(SampleTime, parsed);
    }

    [Fact]
    public void Unknown_fields_are_skipped()
    {
        var line = """{"seq":3,"time":"2026-11-25T13:21:11.123Z","extra":{"nested":[1,2,{"x":"y"}]},"client":"c","address":"a","text":"今天","later":null}"""u8;

        var record = JournalLine.TryParse(line);

        Assert.NotNull(record);
        Assert.Equal(new JournalRecord(3, SampleTime, "c", "a", "今天"), record);
    }

    public static TheoryData<string, byte[]> GarbageLines()
    {
        const string good = """{"seq":1,"time":"2026-11-25T13:21:11.123Z","client":"c","address":"a","text":"今天"}""";
        byte[] goodBytes = Encoding.UTF8.GetBytes(good);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "spaces", "   "u8.ToArray() },
            { "not json", "今天天气很好 🙂"u8.ToArray() },
            { "array", "[1,2,3]"u8.ToArray() },
            { "number", "42"u8.ToArray() },
            { "empty object", "{}"u8.ToArray() },
            { "nul bytes", new byte[64] },
            { "half a line", goodBytes[..(goodBytes.Length / 2)] },
            { "all but the closing brace", goodBytes[..^1] },
            { "two objects", Encoding.UTF8.GetBytes(good + good) },
            { "trailing garbage", Encoding.UTF8.GetBytes(good + "x") },
            { "seq zero", Encoding.UTF8.GetBytes(good.Replace("\"seq\":1", "\"seq\":0", StringComparison.Ordinal)) },
            { "negative seq", Encoding.UTF8.GetBytes(good.Replace("\"seq\":1", "\"seq\":-1", StringComparison.Ordinal)) },
            { "fractional seq", Encoding.UTF8.GetBytes(good.Replace("\"seq\":1", "\"seq\":1.5", StringComparison.Ordinal)) },
            { "seq as string", Encoding.UTF8.GetBytes(good.Replace("\"seq\":1", "\"seq\":\"1\"", StringComparison.Ordinal)) },
            { "seq beyond ulong", Encoding.UTF8.GetBytes(good.Replace("\"seq\":1", "\"seq\":99999999999999999999999", StringComparison.Ordinal)) },
            { "no text", Encoding.UTF8.GetBytes(good.Replace(",\"text\":\"今天\"", "", StringComparison.Ordinal)) },
            { "text is a number", Encoding.UTF8.GetBytes(good.Replace("\"今天\"", "5", StringComparison.Ordinal)) },
            { "client is null", Encoding.UTF8.GetBytes(good.Replace("\"client\":\"c\"", "\"client\":null", StringComparison.Ordinal)) },
            { "bad time", Encoding.UTF8.GetBytes(good.Replace("2026-11-25T13:21:11.123Z", "yesterday", StringComparison.Ordinal)) },
            { "no time", Encoding.UTF8.GetBytes(good.Replace("\"time\":\"2026-11-25T13:21:11.123Z\",", "", StringComparison.Ordinal)) },
            { "instance not hex", Encoding.UTF8.GetBytes(good[..^1] + ",\"instance\":\"xyz\",\"num\":1}") },
            { "instance beyond 64 bits", Encoding.UTF8.GetBytes(good[..^1] + ",\"instance\":\"1ffffffffffffffff\",\"num\":1}") },
            { "facility beyond int", Encoding.UTF8.GetBytes(good[..^1] + ",\"facility\":99999999999,\"severity\":1}") },
            { "comment", Encoding.UTF8.GetBytes(good[..^1] + "/* c */}") },
            { "invalid utf8 in text", [.. goodBytes[..^3], 0xFF, 0xFE, (byte)'"', (byte)'}'] },
            { "bit flipped quote", Encoding.UTF8.GetBytes(good.Replace("\"client\"", "\"client\u0002", StringComparison.Ordinal)) },
        };
    }

    [Theory]
    [MemberData(nameof(GarbageLines))]
    public void Garbage_lines_parse_to_null(string name, byte[] line)
    {
        Assert.True(JournalLine.TryParse(line) is null, name);
    }

    // The writer as it was before the hand-written time and hex formatting: the reference the fast path must match byte for byte.
    private const string LegacyTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const long FirstMs = -62_135_596_800_000;
    private const long LastMs = 253_402_300_799_999;

    private static readonly JsonWriterOptions FileOptions = new() { Encoder = JournalTextEncoder.Instance, SkipValidation = true };
    private static readonly JsonWriterOptions CliOptions = new() { Encoder = JournalTextEncoder.Instance };

    private static string LegacyTime(long timeMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime.ToString(LegacyTimeFormat, CultureInfo.InvariantCulture);

    private static void LegacyWriteObject(Utf8JsonWriter json, JournalRecord r, bool includeDedup)
    {
        json.WriteStartObject();
        json.WriteNumber("seq", r.Seq);
        Span<char> time = stackalloc char[24];
        DateTimeOffset.FromUnixTimeMilliseconds(r.TimeMs).UtcDateTime.TryFormat(time, out var timeLength, LegacyTimeFormat, CultureInfo.InvariantCulture);
        json.WriteString("time", time[..timeLength]);
        json.WriteString("client", r.Client);
        json.WriteString("address", r.Address);
        json.WriteString("text", r.Text);
        if (r.Origin != NoteOrigin.Native) json.WriteString("origin", r.Origin switch { NoteOrigin.Syslog => "syslog", NoteOrigin.Web => "web", NoteOrigin.Bot => "bot", _ => "plain" });
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

    private static byte[] LegacyWrite(JournalRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, FileOptions))
            LegacyWriteObject(json, record, includeDedup: true);
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] WriteObject(JsonWriterOptions options, JournalRecord record, bool includeDedup, bool legacy)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            if (legacy) LegacyWriteObject(json, record, includeDedup);
            else JournalLine.WriteObject(json, record, includeDedup);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Asserts that FormatTime and the line's "time" both read <paramref name="expected"/>.</summary>
    private static void AssertTimeText(long timeMs, string expected)
    {
        Assert.Equal(expected, JournalLine.FormatTime(timeMs));
        Assert.Equal(expected, Json(Write(new JournalRecord(1, timeMs, "c", "a", "t"))).GetProperty("time").GetString());
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000Z")]
    [InlineData(-1L, "1969-12-31T23:59:59.999Z")]
    [InlineData(951_868_799_999L, "2000-02-29T23:59:59.999Z")]
    [InlineData(1_709_208_000_000L, "2024-02-29T12:00:00.000Z")]
    [InlineData(4_107_542_400_000L, "2100-03-01T00:00:00.000Z")]
    [InlineData(946_684_799_999L, "1999-12-31T23:59:59.999Z")]
    [InlineData(2_147_483_648_000L, "2038-01-19T03:14:08.000Z")]
    [InlineData(-30_610_224_000_001L, "0999-12-31T23:59:59.999Z")]
    [InlineData(-30_610_224_000_000L, "1000-01-01T00:00:00.000Z")]
    [InlineData(-62_035_891_199_999L, "0004-02-29T00:00:00.001Z")]
    [InlineData(FirstMs, "0001-01-01T00:00:00.000Z")]
    [InlineData(LastMs, "9999-12-31T23:59:59.999Z")]
    public void Time_text_at_edge_cases_is_what_the_invariant_custom_format_gives(long timeMs, string expected)
    {
        Assert.Equal(expected, LegacyTime(timeMs));
        AssertTimeText(timeMs, expected);
    }

    [Fact]
    public void Time_text_around_every_new_year_and_leap_day_matches_the_invariant_custom_format()
    {
        for (var year = 1; year <= 9999; year++)
        {
            var newYear = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var march = new DateTimeOffset(year, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            foreach (var ms in (long[])[newYear, newYear - 1, march, march - 1, march - 86_400_000])
                if (ms >= FirstMs) Assert.Equal(LegacyTime(ms), JournalLine.FormatTime(ms));
        }
    }

    [Fact]
    public void Time_text_for_random_times_matches_the_invariant_custom_format()
    {
        var anyTime = Gen.Long[FirstMs, LastMs];
        // Near midnight, where the day and the time of day change together.
        var nearMidnight = Gen.Select(Gen.Long[FirstMs / 86_400_000, LastMs / 86_400_000], Gen.Long[-1001, 1000],
            (day, offset) => Math.Clamp(day * 86_400_000 + offset, FirstMs, LastMs));
        var recent = Gen.Long[0, 4_102_444_800_000];
        Gen.OneOf(anyTime, nearMidnight, recent).Sample(ms => AssertTimeText(ms, LegacyTime(ms)), iter: 20_000);
    }

    [Fact]
    public void Consecutive_lines_each_carry_their_own_time()
    {
        // The writer keeps the last formatted millisecond per thread; a change of any size must show.
        long[] times = [SampleTime, SampleTime, SampleTime + 1, SampleTime, SampleTime - 86_400_000, FirstMs, LastMs, LastMs, 0, SampleTime];
        foreach (var ms in times)
            Assert.Equal(LegacyTime(ms), Json(Write(new JournalRecord(1, ms, "c", "a", "t"))).GetProperty("time").GetString());
    }

    [Theory]
    [InlineData(LastMs + 1)]
    [InlineData(FirstMs - 1)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Times_outside_years_1_to_9999_throw_as_before(long timeMs)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LegacyTime(timeMs));
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalLine.FormatTime(timeMs));
        Assert.Throws<ArgumentOutOfRangeException>(() => Write(new JournalRecord(1, timeMs, "c", "a", "t")));
    }

    [Theory]
    [InlineData(1UL, "0000000000000001")]
    [InlineData(0x0123456789ABCDEFUL, "0123456789abcdef")]
    [InlineData(0xFEDCBA9876543210UL, "fedcba9876543210")]
    [InlineData(ulong.MaxValue, "ffffffffffffffff")]
    [InlineData(0x8000000000000000UL, "8000000000000000")]
    public void Instance_is_sixteen_lowercase_hex_digits(ulong instance, string expected)
    {
        var json = Json(Write(new JournalRecord(1, SampleTime, "c", "a", "t", Instance: instance, Number: 3)));

        Assert.Equal(expected, instance.ToString("x16", CultureInfo.InvariantCulture));
        Assert.Equal(expected, json.GetProperty("instance").GetString());
    }

    /// <summary>Text from ASCII, Chinese, emoji, quoting, control and bidi characters.</summary>
    private static readonly Gen<string> AnyText = Gen.Select(
        Gen.Char["abc XYZ 019 今天天气很好日志é\"\\\u001b\t\n\0\u007f\u0085\u202e\u2028<>&+'`"].Array[0, 20],
        Gen.OneOf("", "🙂", "😀👍", "💾"),
        (chars, emoji) => new string(chars) + emoji);

    internal static readonly Gen<JournalRecord> AnyRecord = Gen.Select(
        Gen.Select(Gen.ULong[1, ulong.MaxValue], Gen.OneOf(Gen.Long[FirstMs, LastMs], Gen.Long[1_700_000_000_000, 1_800_000_000_000])),
        Gen.Select(AnyText, AnyText, AnyText),
        Gen.Byte[0, 4], Gen.Bool, Gen.Byte[0, 191],
        Gen.OneOf(Gen.ULong, Gen.Const(0UL), Gen.ULong[1, 0xFFFF]), Gen.ULong,
        (head, texts, origin, hasPriority, priority, instance, number) => new JournalRecord(
            head.Item1, head.Item2, texts.Item1, texts.Item2, texts.Item3, (NoteOrigin)origin, hasPriority ? priority : null, instance, number));

    [Fact]
    public void Lines_are_byte_for_byte_what_the_previous_writer_wrote()
    {
        AnyRecord.Sample(record => Assert.Equal(LegacyWrite(record), Write(record)), iter: 5000);
    }

    [Fact]
    public void Public_objects_are_byte_for_byte_what_the_previous_writer_wrote()
    {
        // The CLI's writer validates and has no SkipValidation; history --format json must not change either.
        Gen.Select(AnyRecord, Gen.Bool).Sample((record, includeDedup) =>
            Assert.Equal(WriteObject(CliOptions, record, includeDedup, legacy: true), WriteObject(CliOptions, record, includeDedup, legacy: false)), iter: 3000);
    }
    [Fact]
    public void A_line_from_a_tail_is_byte_for_byte_the_line_written_whole()
    {
        AnyRecord.Sample(record =>
        {
            Assert.Equal(Write(record), FromTail(record, utf8: false));
            Assert.Equal(Write(record), FromTail(record, utf8: true));
        }, iter: 5000);
    }

    /// <summary>The record's line made the server's way: its tail first (text as a string or as UTF-8), then seq and time.</summary>
    private static byte[] FromTail(JournalRecord record, bool utf8)
    {
        var notes = new PendingNotes();
        var note = new PendingNote(record.Client, record.Address, record.Text, record.Origin, record.Priority, record.Instance, record.Number);
        if (utf8) notes.Add(note, Encoding.UTF8.GetBytes(record.Text));
        else notes.Add(note);
        var fromTail = new ArrayBufferWriter<byte>();
        JournalLine.WriteWithTail(record.Seq, record.TimeMs, notes[0].Tail.Span, fromTail);
        return fromTail.WrittenSpan.ToArray();
    }

    /// <summary>Printable ASCII, where the tail is copied rather than escaped, with now and then a character that needs escaping.</summary>
    private static readonly Gen<string> AsciiText = Gen.Select(Gen.Char[' ', '~'].Array[0, 30], Gen.Int[0, 9], Gen.Char["\"\\\u001f\u007f"],
        (chars, spoil, bad) => spoil == 0 && chars.Length > 0 ? new string(chars) + bad : new string(chars));

    [Fact]
    public void A_tail_of_plain_ascii_fields_is_the_tail_the_json_writer_gives()
    {
        Gen.Select(AnyRecord, AsciiText, AsciiText, AsciiText).Sample((r, client, address, text) =>
        {
            var record = r with { Client = client, Address = address, Text = text };
            Assert.Equal(Encoding.UTF8.GetString(Write(record)), Encoding.UTF8.GetString(FromTail(record, utf8: false)));
            Assert.Equal(Encoding.UTF8.GetString(Write(record)), Encoding.UTF8.GetString(FromTail(record, utf8: true)));
        }, iter: 5000);
    }

    [Fact]
    public void Tails_are_attached_to_every_note_but_the_refused_ones_and_native_notes_keep_no_text_string()
    {
        var notes = new PendingNotes();
        notes.Add(new PendingNote("alice", "10.0.0.1:5000", null, Instance: 7, Number: 1), "first"u8);
        notes.Add(new PendingNote("alice", "10.0.0.1:5000", null, Instance: 7, Number: 2, Refusal: ErrorCode.EmptyNote), ""u8);
        notes.Add(new PendingNote("alice", "10.0.0.1:5000", null, Instance: 7, Number: 3), "third 今天"u8);
        notes.Add(new PendingNote("10.0.0.9", "10.0.0.9:514", "plain \"quoted\"", NoteOrigin.PlainText));
        Assert.Equal(4, notes.Count);
        Assert.Equal("""{"client":"alice","address":"10.0.0.1:5000","text":"first","instance":"0000000000000007","num":1}""", Encoding.UTF8.GetString(notes[0].Tail.Span));
        Assert.True(notes[1].Tail.IsEmpty);
        Assert.Equal(ErrorCode.EmptyNote, notes[1].Refusal);
        Assert.Equal("""{"client":"alice","address":"10.0.0.1:5000","text":"third 今天","instance":"0000000000000007","num":3}""", Encoding.UTF8.GetString(notes[2].Tail.Span));
        Assert.Equal("""{"client":"10.0.0.9","address":"10.0.0.9:514","text":"plain \"quoted\"","origin":"plain"}""", Encoding.UTF8.GetString(notes[3].Tail.Span));
        Assert.All(notes.Items[..3].ToArray(), n => Assert.Null(n.Text));
    }

    [Fact]
    public void Tails_stay_whole_while_the_buffer_grows_and_a_cleared_list_is_filled_again_the_same_way()
    {
        var notes = new PendingNotes();
        for (var round = 0; round < 2; round++)
        {
            // 200 notes of about 500 bytes: the tail buffer (1 KiB at first) grows many times while earlier tails are held.
            for (var i = 0; i < 200; i++)
                notes.Add(new PendingNote("c", "127.0.0.1:1", null, Instance: 1, Number: (ulong)i + 1), Encoding.UTF8.GetBytes($"{i}:" + new string('日', 160)));
            Assert.Equal(200, notes.Count);
            for (var i = 0; i < 200; i++)
            {
                var tail = JsonDocument.Parse(notes[i].Tail).RootElement;
                Assert.Equal($"{i}:" + new string('日', 160), tail.GetProperty("text").GetString());
                Assert.Equal(i + 1, tail.GetProperty("num").GetInt32());
            }
            notes.Clear();
            Assert.Equal(0, notes.Count);
        }
    }
}
