using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class MessageCodecTests
{
    private static readonly byte[] Token = [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02, 0xFF];

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Header(MessageType type) => [0xFE, (byte)'N', (byte)'J', 1, (byte)type, 0];

    [Fact]
    public void Append_request_round_trips_with_chinese_text()
    {
        var request = new AppendRequest(0x0123456789ABCDEF, 7, 9, "办公室电脑",
        [
            Utf8("今天天气很好 🙂"),
            Utf8("plain ascii"),
            Utf8("日志：磁盘已满 💾"),
            Utf8("tab\there \u001b[31m red"),
        ]);

        var decoded = (AppendRequest)MessageAssert.RoundTrip(request);

        Assert.Equal("今天天气很好 🙂", Encoding.UTF8.GetString(decoded.Notes[0].Span));
    }

    [Fact]
    public void Append_request_keeps_invalid_utf8_note_bytes_raw_so_the_server_can_refuse_them()
    {
        var request = new AppendRequest(1, 1, 1, "pc", [new byte[] { 0xFF, 0xC3 }, Utf8("好")]);

        var decoded = (AppendRequest)MessageAssert.RoundTrip(request);

        Assert.Equal(new byte[] { 0xFF, 0xC3 }, decoded.Notes[0].ToArray());
    }

    [Fact]
    public void Append_request_with_255_notes_and_extreme_numbers_round_trips()
    {
        var notes = Enumerable.Range(0, 255).Select(i => Utf8($"第{i}条 🙂")).ToArray();
        MessageAssert.RoundTrip(new AppendRequest(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue - 254, "名", notes));
    }

    [Fact]
    public void Append_request_without_notes_or_with_too_many_cannot_be_encoded()
    {
        Assert.Throws<ArgumentException>(() => MessageCodec.Encode(new AppendRequest(1, 1, 1, "pc", [])));
        var tooMany = Enumerable.Range(0, 256).Select(_ => Utf8("x")).ToArray();
        Assert.Throws<ArgumentException>(() => MessageCodec.Encode(new AppendRequest(1, 1, 1, "pc", tooMany)));
    }

    [Fact]
    public void Append_request_built_from_texts_uses_first_number_as_base()
    {
        var request = AppendRequest.FromTexts(5, 12, "路由器", ["今天天气很好 🙂", "第二条"]);

        var decoded = (AppendRequest)MessageAssert.RoundTrip(request);

        Assert.Equal(12UL, decoded.Base);
        Assert.Equal("第二条", Encoding.UTF8.GetString(decoded.Notes[1].Span));
    }

    [Fact]
    public void Append_request_overhead_and_note_size_add_up_to_the_encoded_length()
    {
        var texts = new[] { "今天天气很好 🙂", new string('x', 200) };
        var request = AppendRequest.FromTexts(5, 300, "办公室电脑", texts);

        var expected = AppendRequest.OverheadFor(300, "办公室电脑") + texts.Sum(t => AppendRequest.SizeOfNote(Encoding.UTF8.GetByteCount(t)));

        Assert.Equal(expected, MessageCodec.Encode(request).Length);
    }

    [Fact]
    public void Append_ack_round_trips_with_stored_duplicate_rejected_deferred_and_held_results()
    {
        var ack = new AppendAck(0xFEDCBA9876543210, 41,
        [
            NoteResult.Stored(1),
            NoteResult.Stored(ulong.MaxValue),
            NoteResult.Duplicate(0),
            NoteResult.Duplicate(77),
            NoteResult.Rejected(ErrorCode.NotOneLine),
            NoteResult.Rejected(ErrorCode.StorageFailed),
            NoteResult.Deferred,
            NoteResult.Held,
        ]);

        var decoded = (AppendAck)MessageAssert.RoundTrip(ack);

        Assert.Equal(NoteStatus.Deferred, decoded.Results[6].Status);
        Assert.Equal(NoteStatus.Held, decoded.Results[7].Status);
        Assert.Equal(ErrorCode.NotOneLine, decoded.Results[4].Error);
    }

    [Fact]
    public void Append_ack_without_results_round_trips()
    {
        MessageAssert.RoundTrip(new AppendAck(3, 1, []));
    }

    [Fact]
    public void History_request_without_filter_round_trips()
    {
        var decoded = (HistoryRequest)MessageAssert.RoundTrip(new HistoryRequest(1, ReadOnlyMemory<byte>.Empty, 0, 0, 1232, HistoryFilter.None));

        Assert.True(decoded.Filter.IsEmpty);
    }

    [Fact]
    public void History_request_with_every_filter_field_round_trips()
    {
        var filter = new HistoryFilter("办公室电脑", "[::1]:5000", -1_000, 1_764_076_871_123, "天气 🙂");
        MessageAssert.RoundTrip(new HistoryRequest(uint.MaxValue, Token, ulong.MaxValue, 12345, ushort.MaxValue, filter));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(5)]
    [InlineData(26)]
    public void History_request_with_each_single_filter_field_round_trips(int fields)
    {
        var filter = new HistoryFilter(
            (fields & 1) != 0 ? "路由器" : null,
            (fields & 2) != 0 ? "192.168.1.5" : null,
            (fields & 4) != 0 ? long.MinValue : null,
            (fields & 8) != 0 ? long.MaxValue : null,
            (fields & 16) != 0 ? "今天" : null);

        var decoded = (HistoryRequest)MessageAssert.RoundTrip(new HistoryRequest(9, Token, 5, 0, 512, filter));

        Assert.False(decoded.Filter.IsEmpty);
    }

    [Fact]
    public void History_request_with_empty_filter_strings_keeps_them_distinct_from_absent()
    {
        var decoded = (HistoryRequest)MessageAssert.RoundTrip(new HistoryRequest(9, Token, 5, 0, 512, new HistoryFilter("", null, null, null, "")));

        Assert.Equal("", decoded.Filter.Client);
        Assert.Null(decoded.Filter.Address);
        Assert.Equal("", decoded.Filter.Grep);
    }

    [Fact]
    public void History_page_round_trips_with_native_plain_and_syslog_notes()
    {
        var page = new HistoryPage(77, 3, true,
        [
            new Note(1, 1_764_076_871_123, "办公室电脑", "192.168.1.5:5000", "今天天气很好 🙂"),
            new Note(2, 1_764_076_871_124, "10.0.0.2", "10.0.0.2:40000", "plain \"quoted\" \\ text", NoteOrigin.PlainText),
            new Note(3, -62_135_596_800_000, "路由器", "[fe80::1]:514", "链路 up", NoteOrigin.Syslog, 13),
            new Note(ulong.MaxValue, long.MaxValue, "r", "[::1]:514", "最高优先级", NoteOrigin.Syslog, 0),
            new Note(5, long.MinValue, "r", "[::1]:514", "最低", NoteOrigin.Syslog, 191),
        ]);

        var decoded = (HistoryPage)MessageAssert.RoundTrip(page);

        Assert.Equal((byte?)13, decoded.Notes[2].Priority);
        Assert.Equal(1, decoded.Notes[2].Facility);
        Assert.Equal(5, decoded.Notes[2].Severity);
        Assert.Null(decoded.Notes[0].Priority);
    }

    [Fact]
    public void History_page_of_smallest_possible_notes_round_trips()
    {
        // Six bytes a note: seq 1, time 0, three empty strings and the origin.
        var notes = Enumerable.Range(1, 3).Select(i => new Note((ulong)i, 0, "", "", "")).ToArray();

        var decoded = (HistoryPage)MessageAssert.RoundTrip(new HistoryPage(1, 3, true, notes));

        Assert.Equal(3, decoded.Notes.Count);
    }

    [Fact]
    public void Empty_history_page_round_trips()
    {
        MessageAssert.RoundTrip(new HistoryPage(1, 0, false, []));
    }

    [Fact]
    public void History_page_note_size_is_exact()
    {
        var notes = new[]
        {
            new Note(1, 1_764_076_871_123, "办公室电脑", "192.168.1.5:5000", "今天天气很好 🙂"),
            new Note(300, -5, "路由器", "[::1]:514", "链路 up", NoteOrigin.Syslog, 191),
        };

        var length = MessageCodec.Encode(new HistoryPage(1, 300, true, notes)).Length;

        Assert.Equal(MessageCodec.PageOverhead + notes.Sum(MessageCodec.NoteSize), length);
    }

    [Fact]
    public void Count_request_round_trips_with_and_without_filter()
    {
        MessageAssert.RoundTrip(new CountRequest(4, Token, 20, new HistoryFilter(Grep: "🙂")));
        MessageAssert.RoundTrip(new CountRequest(0, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None));
        MessageAssert.RoundTrip(new CountRequest(uint.MaxValue, Token, ulong.MaxValue, new HistoryFilter("客户端", "10.0.0.1:9", 1, 2, "天气")));
    }

    [Fact]
    public void Count_reply_round_trips()
    {
        MessageAssert.RoundTrip(new CountReply(5, 1000, 990, 2000, 2500));
        MessageAssert.RoundTrip(new CountReply(uint.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue));
        MessageAssert.RoundTrip(new CountReply(0, 0, 0, 0, 0));
    }

    [Fact]
    public void Clients_request_round_trips()
    {
        MessageAssert.RoundTrip(new ClientsRequest(6, Token, 40, 1232));
        MessageAssert.RoundTrip(new ClientsRequest(6, ReadOnlyMemory<byte>.Empty, 0, 0));
    }

    [Fact]
    public void Clients_page_round_trips_with_chinese_names()
    {
        var page = new ClientsPage(8, 2, false,
        [
            new ClientSummary("办公室电脑", "192.168.1.5:5000", 300, 1_764_076_871_123, 1_764_076_899_999),
            new ClientSummary("🙂 laptop", "[::1]:5000", 1, -5, -5),
            new ClientSummary("", "", 0, long.MinValue, long.MaxValue),
        ]);

        MessageAssert.RoundTrip(page);
        Assert.Equal(MessageCodec.PageOverhead + page.Clients.Sum(MessageCodec.ClientSize), MessageCodec.Encode(page).Length);
    }

    [Fact]
    public void Error_reply_round_trips_with_and_without_detail()
    {
        MessageAssert.RoundTrip(new ErrorReply(10, ErrorCode.ServerBusy, "服务器忙，请稍后再试 🙂"));
        MessageAssert.RoundTrip(new ErrorReply(10, ErrorCode.RateLimited, ""));
        MessageAssert.RoundTrip(new ErrorReply(10, (ErrorCode)200, "unknown code"));
    }

    [Fact]
    public void Retry_challenge_round_trips_with_a_full_size_token()
    {
        var token = Enumerable.Range(0, ProtocolConstants.MaxTokenBytes).Select(i => (byte)(i * 7)).ToArray();
        MessageAssert.RoundTrip(new RetryChallenge(11, token));
    }

    [Fact]
    public void Encoding_into_a_span_gives_the_same_bytes_as_encoding_to_an_array()
    {
        var message = new ErrorReply(10, ErrorCode.ServerBusy, "服务器忙 🙂");
        var buffer = new byte[MessageCodec.GetMaxSize(message)];

        var length = MessageCodec.Encode(message, buffer);

        Assert.Equal(MessageCodec.Encode(message), buffer[..length]);
    }

    [Fact]
    public void Count_reply_encodes_to_the_documented_bytes()
    {
        byte[] expected =
        [
            0xFE, (byte)'N', (byte)'J', 0x01, 0x06, 0x00, // magic, version 1, CountReply, flags 0
            0x01, 0x02, 0x03, 0x04,                        // request id, big endian
            0xAC, 0x02,                                    // matched 300 as LEB128
            0x05,                                          // start after seq 5
            0x7F,                                          // end seq 127
            0x80, 0x01,                                    // total notes 128
        ];

        var message = new CountReply(0x01020304, 300, 5, 127, 128);

        Assert.Equal(expected, MessageCodec.Encode(message));
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(expected, out var decoded));
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Append_request_encodes_to_the_documented_bytes()
    {
        byte[] expected =
        [
            0xFE, (byte)'N', (byte)'J', 0x01, 0x01, 0x00,   // header: AppendRequest
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // instance, big endian
            0x01,                                           // base
            0x02,                                           // first number
            0x02, (byte)'p', (byte)'c',                     // name
            0x01,                                           // one note
            0x03, 0xE5, 0xA5, 0xBD,                         // "好"
        ];

        var message = new AppendRequest(0x0102030405060708, 1, 2, "pc", [Utf8("好")]);

        Assert.Equal(expected, MessageCodec.Encode(message));
    }

    [Fact]
    public void Append_request_that_accepts_held_encodes_the_flag_in_the_header()
    {
        byte[] expected =
        [
            0xFE, (byte)'N', (byte)'J', 0x01, 0x01, 0x02,   // header: AppendRequest, flags AcceptsHeld
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // instance, big endian
            0x01,                                           // base
            0x02,                                           // first number
            0x02, (byte)'p', (byte)'c',                     // name
            0x01,                                           // one note
            0x03, 0xE5, 0xA5, 0xBD,                         // "好"
        ];

        var message = new AppendRequest(0x0102030405060708, 1, 2, "pc", [Utf8("好")]) { AcceptsHeld = true };

        Assert.Equal(expected, MessageCodec.Encode(message));
        var decoded = (AppendRequest)MessageAssert.RoundTrip(message);
        Assert.True(decoded.AcceptsHeld);
        Assert.True(AppendRequestView.TryRead(expected, out var view));
        Assert.True(view.AcceptsHeld);
        Assert.Equal(HeaderFlags.AcceptsHeld, view.Flags);
        Assert.True(AppendRequestView.TryRead(MessageCodec.Encode(message with { AcceptsHeld = false }), out var plain));
        Assert.False(plain.AcceptsHeld);
    }

    [Fact]
    public void Append_ack_with_held_results_encodes_to_the_documented_bytes()
    {
        byte[] expected =
        [
            0xFE, (byte)'N', (byte)'J', 0x01, 0x02, 0x00,   // header: AppendAck, flags 0
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // instance
            0x03,                                           // first number
            0x02,                                           // two results
            0x05,                                           // Held: no body
            0x05,                                           // Held
        ];

        var message = new AppendAck(0x0102030405060708, 3, [NoteResult.Held, NoteResult.Held]);

        Assert.Equal(expected, MessageCodec.Encode(message));
        var buffer = new byte[64];
        Assert.Equal(expected, buffer[..MessageCodec.EncodeAppendAck(0x0102030405060708, 3, [NoteResult.Held, NoteResult.Held], buffer)]);
        MessageAssert.RoundTrip(message);
    }

    [Fact]
    public void History_page_syslog_note_encodes_priority_after_the_flagged_origin()
    {
        byte[] expected =
        [
            0xFE, (byte)'N', (byte)'J', 0x01, 0x04, 0x00,   // header: HistoryPage
            0x00, 0x00, 0x00, 0x09,                         // request id
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // next after seq
            0x01,                                           // complete
            0x00, 0x01,                                     // one note
            0x01,                                           // seq 1
            0x01,                                           // time -1 zigzag
            0x01, (byte)'a',                                // client
            0x01, (byte)'b',                                // address
            0x01, (byte)'c',                                // text
            0x82, 0x0D,                                     // syslog with priority 13
        ];

        var message = new HistoryPage(9, 1, true, [new Note(1, -1, "a", "b", "c", NoteOrigin.Syslog, 13)]);

        Assert.Equal(expected, MessageCodec.Encode(message));
    }

    [Theory]
    [InlineData(MessageType.AppendRequest)]
    [InlineData(MessageType.RetryChallenge)]
    public void Read_header_accepts_known_types(MessageType type)
    {
        Assert.Equal(DecodeStatus.Ok, MessageCodec.ReadHeader(Header(type), out var read));
        Assert.Equal(type, read);
    }

    public static TheoryData<string, byte[], DecodeStatus> BadDatagrams()
    {
        var valid = MessageCodec.Encode(new CountReply(1, 2, 3, 4, 5));
        var data = new TheoryData<string, byte[], DecodeStatus>
        {
            { "empty", [], DecodeStatus.NotNative },
            { "one byte", [0xFE], DecodeStatus.NotNative },
            { "two bytes of magic", [0xFE, (byte)'N'], DecodeStatus.NotNative },
            { "magic only", [0xFE, (byte)'N', (byte)'J'], DecodeStatus.Malformed },
            { "magic and version", [0xFE, (byte)'N', (byte)'J', 1], DecodeStatus.Malformed },
            { "header without flags", [0xFE, (byte)'N', (byte)'J', 1, 6], DecodeStatus.Malformed },
            { "header only", Header(MessageType.CountReply), DecodeStatus.Malformed },
            { "version 0", [0xFE, (byte)'N', (byte)'J', 0, 6, 0, .. valid[6..]], DecodeStatus.UnsupportedVersion },
            { "version 2", [0xFE, (byte)'N', (byte)'J', 2, 6, 0, .. valid[6..]], DecodeStatus.UnsupportedVersion },
            { "sealed flag", [0xFE, (byte)'N', (byte)'J', 1, 6, 1, .. valid[6..]], DecodeStatus.UnsupportedFlags },
            { "unknown flag", [0xFE, (byte)'N', (byte)'J', 1, 6, 0x80, .. valid[6..]], DecodeStatus.UnsupportedFlags },
            { "accepts-held flag on a reply", [0xFE, (byte)'N', (byte)'J', 1, 6, 0x02, .. valid[6..]], DecodeStatus.UnsupportedFlags },
            { "type 99", [0xFE, (byte)'N', (byte)'J', 1, 99, 0, .. valid[6..]], DecodeStatus.UnknownType },
            { "type 0", [0xFE, (byte)'N', (byte)'J', 1, 0, 0], DecodeStatus.UnknownType },
            { "unassigned type 200", [0xFE, (byte)'N', (byte)'J', 1, 200, 0], DecodeStatus.UnknownType },
            { "trailing garbage byte", [.. valid, 0x00], DecodeStatus.Malformed },
            { "plain text", Encoding.UTF8.GetBytes("今天天气很好 🙂"), DecodeStatus.NotNative },
            { "syslog", Encoding.UTF8.GetBytes("<13>Nov 25 13:21:11 host app: 链路 up"), DecodeStatus.NotNative },
            { "wrong second magic byte", [0xFE, (byte)'n', (byte)'J', 1, 6, 0, .. valid[6..]], DecodeStatus.NotNative },
            {
                // Name length claims ulong.MaxValue.
                "huge name length",
                [.. Header(MessageType.AppendRequest), 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x61],
                DecodeStatus.Malformed
            },
            {
                // Note length claims 2^31: more than the datagram.
                "huge note length",
                [.. Header(MessageType.AppendRequest), 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0x61, 1, 0x80, 0x80, 0x80, 0x80, 0x08, 0x61],
                DecodeStatus.Malformed
            },
            {
                // A varint of eleven bytes never ends within the ten allowed.
                "overlong varint",
                [.. Header(MessageType.CountReply), 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0, 0],
                DecodeStatus.Malformed
            },
            {
                // Ten bytes whose last adds bits beyond 64.
                "overflowing varint",
                [.. Header(MessageType.CountReply), 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0],
                DecodeStatus.Malformed
            },
            {
                "append with zero notes",
                [.. Header(MessageType.AppendRequest), 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0x61, 0],
                DecodeStatus.Malformed
            },
            {
                "name that is invalid utf8",
                [.. Header(MessageType.AppendRequest), 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0xFF, 1, 1, 0x61],
                DecodeStatus.Malformed
            },
            {
                "ack with unknown status",
                [.. Header(MessageType.AppendAck), 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 9],
                DecodeStatus.Malformed
            },
            {
                "filter with unknown field bit",
                [.. Header(MessageType.CountRequest), 0, 0, 0, 1, 0, 0, 32],
                DecodeStatus.Malformed
            },
            {
                "history page with complete flag 2",
                [.. Header(MessageType.HistoryPage), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0],
                DecodeStatus.Malformed
            },
            {
                "syslog priority above 191",
                [.. Header(MessageType.HistoryPage), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0x61, 1, 0x62, 1, 0x63, 0x82, 192],
                DecodeStatus.Malformed
            },
            {
                "unknown note origin",
                [.. Header(MessageType.HistoryPage), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0x61, 1, 0x62, 1, 0x63, 5],
                DecodeStatus.Malformed
            },
            {
                "token longer than 64 bytes",
                [.. Header(MessageType.RetryChallenge), 0, 0, 0, 1, 65, .. new byte[65]],
                DecodeStatus.Malformed
            },
            {
                "history page claiming 65535 notes in 20 bytes",
                [.. Header(MessageType.HistoryPage), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, .. Enumerable.Repeat((byte)1, 20)],
                DecodeStatus.Malformed
            },
            {
                "clients page claiming 65535 clients in 20 bytes",
                [.. Header(MessageType.ClientsPage), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, .. new byte[20]],
                DecodeStatus.Malformed
            },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(BadDatagrams))]
    public void Bad_datagrams_are_reported_not_thrown(string name, byte[] datagram, DecodeStatus expected)
    {
        var status = MessageCodec.TryDecode(datagram, out var message);

        Assert.True(expected == status, $"{name}: expected {expected}, got {status}");
        Assert.Null(message);
    }

    [Fact]
    public void Append_request_truncated_at_every_length_is_malformed()
    {
        var full = MessageCodec.Encode(new AppendRequest(0x0102030405060708, 300, 301, "办公室电脑",
            [Utf8("今天天气很好 🙂"), Utf8("第二条"), Utf8(new string('x', 200))]));
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(full, out _));

        for (var length = 0; length < full.Length; length++)
        {
            var status = MessageCodec.TryDecode(full.AsMemory(0, length), out var message);

            // Fewer than the three magic bytes cannot be told from a foreign datagram.
            var expected = length < 3 ? DecodeStatus.NotNative : DecodeStatus.Malformed;
            Assert.True(expected == status, $"length {length}: expected {expected}, got {status}");
            Assert.Null(message);
        }
    }

    [Fact]
    public void Every_message_type_truncated_at_every_length_is_never_ok()
    {
        JournalMessage[] messages =
        [
            new AppendAck(1, 2, [NoteResult.Stored(300), NoteResult.Rejected(ErrorCode.InvalidUtf8), NoteResult.Deferred]),
            new HistoryRequest(1, Token, 2, 3, 1232, new HistoryFilter("办公室电脑", "[::1]", 1, 2, "天气")),
            new HistoryPage(1, 2, true, [new Note(1, 2, "路由器", "[::1]:514", "链路 up", NoteOrigin.Syslog, 13)]),
            new CountRequest(1, Token, 5, new HistoryFilter(Grep: "🙂")),
            new CountReply(1, 300, 2, 3, 4),
            new ClientsRequest(1, Token, 2, 3),
            new ClientsPage(1, 2, true, [new ClientSummary("办公室电脑", "10.0.0.1:1", 3, 4, 5)]),
            new ErrorReply(1, ErrorCode.Malformed, "坏了"),
            new RetryChallenge(1, Token),
        ];
        foreach (var message in messages)
        {
            var full = MessageCodec.Encode(message);
            for (var length = 3; length < full.Length; length++)
            {
                Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(full.AsMemory(0, length), out var decoded));
                Assert.Null(decoded);
            }
        }
    }

    [Fact]
    public void Decoded_append_notes_are_slices_of_the_datagram()
    {
        var bytes = MessageCodec.Encode(new AppendRequest(1, 1, 1, "pc", [Utf8("好")]));
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(bytes, out var message));

        bytes[^1] = (byte)'!';

        Assert.Equal(new byte[] { 0xE5, 0xA5, (byte)'!' }, ((AppendRequest)message!).Notes[0].ToArray());
    }
}
