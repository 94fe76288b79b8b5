using System.Buffers;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Tests.Storage;

public sealed class JournalStoreTests : IDisposable
{
    private const ulong Instance = 0x1122334455667788;
    private const int Unlimited = 1 << 20;

    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 13, 21, 11, 123, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(T0);

    public void Dispose() => _directory.Dispose();

    private JournalStore Open() => JournalStore.Open(_directory.Path, _time);

    private static NoteResult[] Commit(JournalStore store, params PendingNote[] notes)
    {
        var results = new NoteResult[notes.Length];
        Assert.Null(store.Commit(notes, results));
        return results;
    }

    private static PendingNote Native(ulong number, string text = "今天天气很好 🙂", ulong @base = 0, ErrorCode refusal = ErrorCode.None, ulong instance = Instance) =>
        new("办公室电脑", "192.168.1.5:5000", text, NoteOrigin.Native, null, instance, number, @base, refusal);

    private static PendingNote Plain(string text, string client = "10.0.0.2", string address = "10.0.0.2:40000") =>
        new(client, address, text, NoteOrigin.PlainText);

    private static List<Note> ReadAll(JournalStore store, HistoryFilter? filter = null, ulong after = 0, ulong until = 0)
    {
        var notes = new List<Note>();
        while (true)
        {
            var page = store.ReadPage(filter ?? HistoryFilter.None, after, until, Unlimited);
            notes.AddRange(page.Notes);
            after = page.NextAfterSeq;
            if (page.Complete) return notes;
        }
    }

    private static ulong[] Seqs(IEnumerable<Note> notes) => notes.Select(n => n.Seq).ToArray();

    private static byte[] LineFor(JournalRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JournalLine.Write(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private void CommitTexts(params string[] texts)
    {
        using var store = Open();
        foreach (var text in texts) Commit(store, Plain(text));
    }

    [Fact]
    public void Commit_assigns_increasing_seqs()
    {
        using var store = Open();

        var first = Commit(store, Plain("第一条"), Plain("第二条"), Plain("第三条"));
        var second = Commit(store, Plain("第四条 🙂"), Plain("第五条"));

        Assert.Equal([NoteResult.Stored(1), NoteResult.Stored(2), NoteResult.Stored(3)], first);
        Assert.Equal([NoteResult.Stored(4), NoteResult.Stored(5)], second);
        Assert.Equal(5UL, store.LastSeq);
        Assert.Equal(5, store.NoteCount);
        Assert.Equal(["第一条", "第二条", "第三条", "第四条 🙂", "第五条"], ReadAll(store).Select(n => n.Text));
    }

    [Fact]
    public void A_new_store_reports_that_it_created_the_file()
    {
        using var store = Open();

        Assert.True(store.Recovery.Created);
        Assert.Equal(0, store.Recovery.Notes);
        Assert.Equal(0UL, store.LastSeq);
        Assert.True(File.Exists(_directory.JournalPath));
        Assert.Empty(store.ReadPage(HistoryFilter.None, 0, 0, Unlimited).Notes);
    }

    [Fact]
    public void Reopening_keeps_every_note_and_its_fields()
    {
        List<Note> before;
        using (var store = Open())
        {
            Commit(store, Native(1, "今天天气很好 🙂"), Plain("纯文本 \"quoted\" \\ \u001b"));
            _time.Advance(TimeSpan.FromSeconds(1));
            Commit(store, new PendingNote("路由器", "[fe80::1]:514", "链路 up", NoteOrigin.Syslog, 13));
            before = ReadAll(store);
        }

        using var reopened = Open();

        Assert.False(reopened.Recovery.Created);
        Assert.Equal(3, reopened.Recovery.Notes);
        Assert.Equal(0, reopened.Recovery.TruncatedBytes);
        Assert.Empty(reopened.Recovery.CorruptLines);
        Assert.Equal(3UL, reopened.LastSeq);
        Assert.Equal(before, ReadAll(reopened));
        Assert.Equal((byte?)13, before[2].Priority);
        Assert.Equal(NoteOrigin.Syslog, before[2].Origin);
        Assert.Equal(T0.ToUnixTimeMilliseconds() + 1000, before[2].TimeMs);
        Assert.Equal(3, reopened.ClientCount);
    }

    [Fact]
    public void Torn_last_line_is_cut_on_open_and_reported()
    {
        CommitTexts("第一条", "第二条", "第三条");
        var whole = File.ReadAllBytes(_directory.JournalPath);
        var fourth = LineFor(new JournalRecord(4, T0.ToUnixTimeMilliseconds(), "c", "a", "写了一半的第四条 🙂"));
        var torn = fourth[..(fourth.Length / 2)];
        File.WriteAllBytes(_directory.JournalPath, [.. whole, .. torn]);

        using (var store = Open())
        {
            Assert.Equal(torn.Length, store.Recovery.TruncatedBytes);
            Assert.Equal(whole.Length, store.Recovery.TruncatedAtOffset);
            Assert.Equal(3, store.Recovery.Notes);
            Assert.Empty(store.Recovery.CorruptLines);
            Assert.Equal(whole, File.ReadAllBytes(_directory.JournalPath));

            Assert.Equal([NoteResult.Stored(4)], Commit(store, Plain("新的第四条")));
            Assert.Equal(["第一条", "第二条", "第三条", "新的第四条"], ReadAll(store).Select(n => n.Text));
        }

        using var again = Open();
        Assert.Equal(0, again.Recovery.TruncatedBytes);
        Assert.Equal(4, again.Recovery.Notes);
        Assert.Equal("新的第四条", ReadAll(again)[3].Text);
    }

    public static TheoryData<string, byte[]> BadTails() => new()
    {
        { "garbage bytes without newline", [0x01, 0x02, (byte)'g', (byte)'a', 0xFF, 0xFE] },
        { "garbage line with newline", "not json at all 今天\n"u8.ToArray() },
        { "line of NUL bytes", new byte[4096] },
        { "line of NUL bytes with newline", [.. new byte[100], (byte)'\n'] },
        { "several bad lines", "{\"seq\":\n\0\0\0\nxx\n"u8.ToArray() },
        { "half a json object with newline", "{\"seq\":9,\"time\":\"2026-11-25T13:21:11.123Z\",\"cli\n"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadTails))]
    public void Bad_tail_is_cut_on_open_and_later_commits_are_fine(string name, byte[] tail)
    {
        CommitTexts("第一条", "第二条");
        var whole = File.ReadAllBytes(_directory.JournalPath);
        File.WriteAllBytes(_directory.JournalPath, [.. whole, .. tail]);

        using (var store = Open())
        {
            Assert.True(tail.Length == store.Recovery.TruncatedBytes, name);
            Assert.Equal(2, store.Recovery.Notes);
            Assert.Empty(store.Recovery.CorruptLines);
            Assert.Equal(whole, File.ReadAllBytes(_directory.JournalPath));
            Assert.Equal([NoteResult.Stored(3)], Commit(store, Plain("第三条")));
        }

        using var again = Open();
        Assert.Equal(0, again.Recovery.TruncatedBytes);
        Assert.Equal(["第一条", "第二条", "第三条"], ReadAll(again).Select(n => n.Text));
    }

    [Fact]
    public void Repeated_last_line_is_cut_as_a_torn_tail()
    {
        CommitTexts("第一条", "第二条");
        var whole = File.ReadAllBytes(_directory.JournalPath);
        var lines = Encoding.UTF8.GetString(whole).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var repeated = Encoding.UTF8.GetBytes(lines[^1] + "\n");
        File.WriteAllBytes(_directory.JournalPath, [.. whole, .. repeated]);

        using var store = Open();

        Assert.Equal(repeated.Length, store.Recovery.TruncatedBytes);
        Assert.Equal(2, store.NoteCount);
    }

    [Fact]
    public void Corrupted_middle_line_is_reported_skipped_and_never_rewritten()
    {
        CommitTexts("第一条", "第二条", "第三条", "第四条", "第五条");
        var bytes = File.ReadAllBytes(_directory.JournalPath);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length - 1; i++)
            if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);
        var start = lineStarts[2];
        var length = lineStarts[3] - start;
        for (var i = start + 5; i < start + length - 1; i++) bytes[i] = (byte)'x';
        File.WriteAllBytes(_directory.JournalPath, bytes);

        using (var store = Open())
        {
            Assert.Equal([new CorruptLine(3, start, length)], store.Recovery.CorruptLines);
            Assert.Equal(0, store.Recovery.TruncatedBytes);
            Assert.Equal(4, store.Recovery.Notes);
            Assert.Equal(bytes, File.ReadAllBytes(_directory.JournalPath));
            Assert.Equal(new ulong[] { 1, 2, 4, 5 }, Seqs(ReadAll(store)));

            Assert.Equal([NoteResult.Stored(6)], Commit(store, Plain("第六条")));
        }

        var after = File.ReadAllBytes(_directory.JournalPath);
        Assert.Equal(bytes, after[..bytes.Length]);
        using var again = Open();
        Assert.Equal([new CorruptLine(3, start, length)], again.Recovery.CorruptLines);
        Assert.Equal(new ulong[] { 1, 2, 4, 5, 6 }, Seqs(ReadAll(again)));
        Assert.Equal(5UL, again.Count(HistoryFilter.None, 0).TotalNotes);
    }

    [Fact]
    public void Same_instance_and_number_twice_is_a_duplicate_the_second_time()
    {
        using var store = Open();

        Assert.Equal([NoteResult.Stored(1)], Commit(store, Native(1)));
        var again = Commit(store, Native(1));

        Assert.Equal(NoteStatus.Duplicate, again[0].Status);
        Assert.True(again[0].IsStored);
        Assert.Equal(1, store.NoteCount);
    }

    [Fact]
    public void Same_instance_and_number_twice_in_one_batch_is_stored_once()
    {
        using var store = Open();

        var results = Commit(store, Native(1, "今天"), Native(1, "今天"), Native(2, "明天"), Native(2, "明天"));

        Assert.Equal([NoteResult.Stored(1), NoteResult.Duplicate(1), NoteResult.Stored(2), NoteResult.Duplicate(2)], results);
        Assert.Equal(2, store.NoteCount);
    }

    [Fact]
    public void Duplicates_are_still_recognised_after_reopening()
    {
        using (var store = Open()) Commit(store, Native(1), Native(2));

        using var reopened = Open();

        Assert.Equal(1, reopened.DedupInstances);
        Assert.Equal(NoteStatus.Duplicate, Commit(reopened, Native(2))[0].Status);
        Assert.Equal(NoteStatus.Duplicate, Commit(reopened, Native(1))[0].Status);
        Assert.Equal([NoteResult.Stored(3)], Commit(reopened, Native(3)));
        Assert.Equal(3, reopened.NoteCount);
    }

    [Fact]
    public void Different_instances_number_independently()
    {
        using var store = Open();

        var results = Commit(store, Native(1, instance: 1), Native(1, instance: 2), Native(2, instance: 1));

        Assert.Equal([NoteResult.Stored(1), NoteResult.Stored(2), NoteResult.Stored(3)], results);
        Assert.Equal(2, store.DedupInstances);
    }

    [Fact]
    public void A_number_ahead_of_its_predecessor_is_deferred_until_the_predecessor_is_stored()
    {
        using var store = Open();

        Assert.Equal([NoteResult.Deferred], Commit(store, Native(2, "第二条")));
        Assert.Equal(0, store.NoteCount);
        Assert.Equal([NoteResult.Stored(1)], Commit(store, Native(1, "第一条")));
        Assert.Equal([NoteResult.Stored(2)], Commit(store, Native(2, "第二条")));

        Assert.Equal(["第一条", "第二条"], ReadAll(store).Select(n => n.Text));
    }

    [Fact]
    public void Within_one_batch_order_decides_what_is_deferred()
    {
        using var store = Open();

        Assert.Equal([NoteResult.Deferred, NoteResult.Stored(1)], Commit(store, Native(2), Native(1)));
        Assert.Equal([NoteResult.Stored(2), NoteResult.Stored(3), NoteResult.Deferred], Commit(store, Native(2), Native(3), Native(5)));
    }

    [Fact]
    public void Base_lets_the_server_skip_numbers_the_client_settled()
    {
        using var store = Open();

        Assert.Equal([NoteResult.Stored(1)], Commit(store, Native(5, @base: 5)));
        Assert.Equal(NoteStatus.Duplicate, Commit(store, Native(4, @base: 5))[0].Status);
        Assert.Equal([NoteResult.Stored(2)], Commit(store, Native(6, @base: 5)));
    }

    [Fact]
    public void Base_skips_a_rejected_number_that_was_forgotten_on_reopen()
    {
        using (var store = Open())
        {
            Assert.Equal([NoteResult.Stored(1)], Commit(store, Native(1)));
            Assert.Equal([NoteResult.Rejected(ErrorCode.NoteTooLong)], Commit(store, Native(2, "", refusal: ErrorCode.NoteTooLong)));
        }

        using var reopened = Open();

        // The rejection of 2 left nothing in the file: without a base the server waits for 2 again.
        Assert.Equal([NoteResult.Deferred], Commit(reopened, Native(3, @base: 2)));
        Assert.Equal([NoteResult.Stored(2)], Commit(reopened, Native(3, @base: 3)));
    }

    [Fact]
    public void Refused_notes_come_back_rejected_and_advance_the_order()
    {
        using var store = Open();

        var batch = Commit(store, Native(1, "", refusal: ErrorCode.EmptyNote), Native(2, "好"));
        var alone = Commit(store, Native(3, "", refusal: ErrorCode.InvalidUtf8));
        var next = Commit(store, Native(4, "第四"));
        var plain = Commit(store, new PendingNote("10.0.0.2", "10.0.0.2:1", "", NoteOrigin.PlainText, Refusal: ErrorCode.EmptyNote));

        Assert.Equal([NoteResult.Rejected(ErrorCode.EmptyNote), NoteResult.Stored(1)], batch);
        Assert.Equal([NoteResult.Rejected(ErrorCode.InvalidUtf8)], alone);
        Assert.Equal([NoteResult.Stored(2)], next);
        Assert.Equal([NoteResult.Rejected(ErrorCode.EmptyNote)], plain);
        Assert.Equal(2UL, store.LastSeq);
        Assert.Equal(["好", "第四"], ReadAll(store).Select(n => n.Text));
    }

    [Fact]
    public void Count_with_last_n_gives_the_cursor_for_exactly_the_last_n()
    {
        using var store = Open();
        for (var i = 1; i <= 10; i++)
            Commit(store, Plain(i % 3 == 0 ? $"第{i}条 天气" : $"第{i}条", client: i % 2 == 1 ? "甲" : "乙"));

        var filters = new[] { HistoryFilter.None, new HistoryFilter(Client: "甲"), new HistoryFilter(Grep: "天气"), new HistoryFilter(Client: "乙", Grep: "天气") };
        foreach (var filter in filters)
        {
            var all = Seqs(ReadAll(store, filter));
            for (ulong n = 0; n <= 12; n++)
            {
                var count = store.Count(filter, n);
                Assert.Equal((ulong)all.Length, count.Matched);
                Assert.Equal(10UL, count.EndSeq);
                Assert.Equal(10UL, count.TotalNotes);

                var page = store.ReadPage(filter, count.StartAfterSeq, count.EndSeq, Unlimited);

                var expected = n == 0 ? all : all.TakeLast((int)n).ToArray();
                Assert.Equal(expected, Seqs(page.Notes));
                Assert.True(page.Complete);
            }
        }
    }

    [Fact]
    public void Count_without_a_filter_is_the_count_a_scan_that_matches_everything_gives()
    {
        using var store = Open();
        for (var i = 1; i <= 10; i++) Commit(store, Plain($"第{i}条", client: i % 2 == 1 ? "甲" : "乙"));
        // A since bound before every note matches them all but is a filter, so it counts by scanning.
        var scanned = new HistoryFilter(SinceMs: long.MinValue);
        foreach (var n in new ulong[] { 0, 1, 3, 9, 10, 11, ulong.MaxValue })
            Assert.Equal(store.Count(scanned, n), store.Count(HistoryFilter.None, n));
    }

    [Fact]
    public void Count_for_the_last_three_of_one_client()
    {
        using var store = Open();
        for (var i = 1; i <= 10; i++) Commit(store, Plain($"第{i}条", client: i % 2 == 1 ? "甲" : "乙"));

        var count = store.Count(new HistoryFilter(Client: "甲"), 3);

        Assert.Equal(new CountResult(5, 3, 10, 10), count);
    }

    [Fact]
    public void Count_with_the_largest_last_n_counts_everything()
    {
        using var store = Open();
        Commit(store, Plain("一"), Plain("二"));

        var count = store.Count(HistoryFilter.None, ulong.MaxValue);

        Assert.Equal(new CountResult(2, 0, 2, 2), count);
    }

    [Fact]
    public void Count_for_an_unknown_client_matches_nothing_and_points_at_the_end()
    {
        using var store = Open();
        Commit(store, Plain("一"), Plain("二"));

        var count = store.Count(new HistoryFilter(Client: "没有这个人"), 5);

        Assert.Equal(new CountResult(0, 2, 2, 2), count);
        Assert.Empty(store.ReadPage(HistoryFilter.None, count.StartAfterSeq, count.EndSeq, Unlimited).Notes);
    }

    [Fact]
    public void Count_of_an_empty_journal_is_zero()
    {
        using var store = Open();

        Assert.Equal(new CountResult(0, 0, 0, 0), store.Count(HistoryFilter.None, 10));
    }

    [Fact]
    public void Pages_never_exceed_max_bytes_and_together_hold_every_note_once()
    {
        using var store = Open();
        for (var i = 0; i < 30; i++)
            Commit(store, Plain(string.Concat(Enumerable.Repeat("今天天气很好 🙂", i % 7 + 1))));
        const int maxBytes = 200;

        var seen = new List<Note>();
        ulong after = 0;
        var pages = 0;
        while (true)
        {
            var page = store.ReadPage(HistoryFilter.None, after, 0, maxBytes);
            pages++;
            Assert.NotEmpty(page.Notes);
            Assert.True(page.Notes.Sum(MessageCodec.NoteSize) <= maxBytes);
            Assert.Equal(page.Notes[^1].Seq, page.NextAfterSeq);
            seen.AddRange(page.Notes);
            after = page.NextAfterSeq;
            if (page.Complete) break;
            Assert.True(pages < 100, "paging does not end");
        }

        Assert.True(pages > 2);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (ulong)i), Seqs(seen));
        Assert.Equal(ReadAll(store), seen);
    }

    [Fact]
    public void A_note_bigger_than_max_bytes_travels_alone()
    {
        using var store = Open();
        Commit(store, Plain("小"), Plain(new string('大', 1000)), Plain("小二"));

        var first = store.ReadPage(HistoryFilter.None, 0, 0, 200);
        var second = store.ReadPage(HistoryFilter.None, first.NextAfterSeq, 0, 200);
        var third = store.ReadPage(HistoryFilter.None, second.NextAfterSeq, 0, 200);

        Assert.Equal(new ulong[] { 1 }, Seqs(first.Notes));
        Assert.False(first.Complete);
        Assert.Equal(new ulong[] { 2 }, Seqs(second.Notes));
        Assert.True(MessageCodec.NoteSize(second.Notes[0]) > 200);
        Assert.False(second.Complete);
        Assert.Equal(new ulong[] { 3 }, Seqs(third.Notes));
        Assert.True(third.Complete);
    }

    [Fact]
    public void Read_page_stops_at_until_seq()
    {
        using var store = Open();
        for (var i = 1; i <= 6; i++) Commit(store, Plain($"第{i}条"));

        var page = store.ReadPage(HistoryFilter.None, 2, 5, Unlimited);
        var beyond = store.ReadPage(HistoryFilter.None, 4, 100, Unlimited);

        Assert.Equal(new ulong[] { 3, 4, 5 }, Seqs(page.Notes));
        Assert.True(page.Complete);
        Assert.Equal(5UL, page.NextAfterSeq);
        Assert.Equal(new ulong[] { 5, 6 }, Seqs(beyond.Notes));
        Assert.Equal(6UL, beyond.NextAfterSeq);
    }

    [Fact]
    public void Read_page_gives_up_after_max_scan_entries_with_a_cursor_to_continue()
    {
        using var store = Open();
        for (var i = 1; i <= 6; i++) Commit(store, Plain($"第{i}条"));

        var page = store.ReadPage(new HistoryFilter(Grep: "第6条"), 0, 0, Unlimited, maxScan: 3);
        var rest = store.ReadPage(new HistoryFilter(Grep: "第6条"), page.NextAfterSeq, 0, Unlimited, maxScan: 3);

        Assert.Empty(page.Notes);
        Assert.False(page.Complete);
        Assert.Equal(3UL, page.NextAfterSeq);
        Assert.Equal(new ulong[] { 6 }, Seqs(rest.Notes));
        Assert.True(rest.Complete);
    }

    [Fact]
    public void Client_filter_matches_the_exact_name()
    {
        using var store = Open();
        Commit(store, Plain("一", client: "甲"), Plain("二", client: "乙"), Plain("三", client: "甲乙"), Plain("四", client: "甲"));

        Assert.Equal(new ulong[] { 1, 4 }, Seqs(ReadAll(store, new HistoryFilter(Client: "甲"))));
        Assert.Equal(new ulong[] { 3 }, Seqs(ReadAll(store, new HistoryFilter(Client: "甲乙"))));
        Assert.Empty(ReadAll(store, new HistoryFilter(Client: "丙")));
    }

    [Theory]
    [InlineData("192.168.1.5", new ulong[] { 1, 2 })]
    [InlineData("192.168.1.5:5000", new ulong[] { 1 })]
    [InlineData("192.168.1.5:7000", new ulong[0])]
    [InlineData("192.168.1.50", new ulong[] { 3 })]
    [InlineData("[::1]:5000", new ulong[] { 4 })]
    [InlineData("[::1]:7000", new ulong[0])]
    [InlineData("::1", new ulong[] { 4, 5 })]
    [InlineData("[::1]", new ulong[] { 4, 5 })]
    [InlineData("0:0:0:0:0:0:0:1", new ulong[] { 4, 5 })]
    [InlineData("10.0.0.1", new ulong[0])]
    public void Address_filter_matches_ip_on_any_port_or_ip_and_port_exactly(string wanted, ulong[] expected)
    {
        using var store = Open();
        Commit(store,
            Plain("一", address: "192.168.1.5:5000"),
            Plain("二", address: "192.168.1.5:6000"),
            Plain("三", address: "192.168.1.50:5000"),
            Plain("四", address: "[::1]:5000"),
            Plain("五", address: "[::1]:6000"));

        Assert.Equal(expected, Seqs(ReadAll(store, new HistoryFilter(Address: wanted))));
        Assert.Equal((ulong)expected.Length, store.Count(new HistoryFilter(Address: wanted), 0).Matched);
    }

    [Fact]
    public void Since_is_inclusive_and_until_is_exclusive()
    {
        using var store = Open();
        for (var i = 0; i < 4; i++)
        {
            Commit(store, Plain($"第{i}秒"));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        var t0 = T0.ToUnixTimeMilliseconds();

        Assert.Equal(new ulong[] { 2, 3 }, Seqs(ReadAll(store, new HistoryFilter(SinceMs: t0 + 1000, UntilMs: t0 + 3000))));
        Assert.Equal(new ulong[] { 3, 4 }, Seqs(ReadAll(store, new HistoryFilter(SinceMs: t0 + 2000))));
        Assert.Equal(new ulong[] { 1 }, Seqs(ReadAll(store, new HistoryFilter(UntilMs: t0 + 1))));
        Assert.Empty(ReadAll(store, new HistoryFilter(SinceMs: t0 + 3001)));
    }

    [Fact]
    public void Grep_is_case_insensitive_and_finds_chinese_and_emoji()
    {
        using var store = Open();
        Commit(store, Plain("Hello World"), Plain("hello 世界"), Plain("今天天气很好 🙂"), Plain("天气预报"), Plain("ÉCOLE"));

        Assert.Equal(new ulong[] { 1, 2 }, Seqs(ReadAll(store, new HistoryFilter(Grep: "HELLO"))));
        Assert.Equal(new ulong[] { 3, 4 }, Seqs(ReadAll(store, new HistoryFilter(Grep: "天气"))));
        Assert.Equal(new ulong[] { 3 }, Seqs(ReadAll(store, new HistoryFilter(Grep: "🙂"))));
        Assert.Equal(new ulong[] { 5 }, Seqs(ReadAll(store, new HistoryFilter(Grep: "école"))));
        Assert.Equal(5, ReadAll(store, new HistoryFilter(Grep: "")).Count);
        Assert.Empty(ReadAll(store, new HistoryFilter(Grep: "下雨")));
    }

    [Fact]
    public void Filters_combine()
    {
        using var store = Open();
        Commit(store,
            Plain("今天天气很好", client: "甲", address: "10.0.0.1:1"),
            Plain("今天天气很好", client: "乙", address: "10.0.0.1:2"),
            Plain("今天下雨", client: "甲", address: "10.0.0.1:1"),
            Plain("天气", client: "甲", address: "10.0.0.9:1"));

        var notes = ReadAll(store, new HistoryFilter(Client: "甲", Address: "10.0.0.1", Grep: "天气"));

        Assert.Equal(new ulong[] { 1 }, Seqs(notes));
    }

    [Fact]
    public void Clients_summarise_count_first_and_last_time_and_last_address()
    {
        var t0 = T0.ToUnixTimeMilliseconds();
        using (var store = Open())
        {
            Commit(store, Plain("一", client: "甲", address: "10.0.0.1:1"));
            _time.Advance(TimeSpan.FromSeconds(1));
            Commit(store, Plain("二", client: "乙 🙂", address: "[::1]:5000"));
            _time.Advance(TimeSpan.FromSeconds(1));
            Commit(store, Plain("三", client: "甲", address: "10.0.0.2:7"));

            var expected = new[]
            {
                new ClientSummary("甲", "10.0.0.2:7", 2, t0, t0 + 2000),
                new ClientSummary("乙 🙂", "[::1]:5000", 1, t0 + 1000, t0 + 1000),
            };
            Assert.Equal(expected, store.Clients());
            Assert.Equal(expected[1..], store.Clients(1));
            Assert.Empty(store.Clients(2));
            Assert.Equal(2, store.ClientCount);
        }

        using var reopened = Open();
        Assert.Equal(new ClientSummary("甲", "10.0.0.2:7", 2, t0, t0 + 2000), reopened.Clients()[0]);
    }

    [Fact]
    public void Journal_time_never_runs_backwards()
    {
        var t0 = T0.ToUnixTimeMilliseconds();
        using (var store = Open())
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            Commit(store, Plain("一"));
            _time.Now = T0;
            Commit(store, Plain("二"));
            Assert.Equal([t0 + 10_000, t0 + 10_000], ReadAll(store).Select(n => n.TimeMs));
        }

        using var reopened = Open();
        Commit(reopened, Plain("三"));
        Assert.Equal(t0 + 10_000, ReadAll(reopened)[2].TimeMs);
    }

    [Fact]
    public void Reading_past_the_read_ahead_window_returns_every_note()
    {
        using var store = Open();
        var texts = Enumerable.Range(0, 60).Select(i => $"{i:D2} " + new string('字', 1000) + (i % 10 == 0 ? " 天气" : "")).ToArray();
        foreach (var text in texts) Commit(store, Plain(text));

        Assert.Equal(texts, ReadAll(store).Select(n => n.Text));
        Assert.Equal(6UL, store.Count(new HistoryFilter(Grep: "天气"), 0).Matched);
        Assert.Equal(new ulong[] { 51 }, Seqs(ReadAll(store, new HistoryFilter(Grep: "天气"), after: 41)));
    }

    [Fact]
    public void Reopening_reads_a_line_longer_than_the_scan_buffer()
    {
        var huge = string.Concat(Enumerable.Repeat("今天天气很好 🙂", 120_000)); // about 1.7 MB of JSON
        using (var store = Open()) Commit(store, Plain("前"), Plain(huge), Plain("后"));

        using var reopened = Open();

        Assert.Equal(3, reopened.Recovery.Notes);
        Assert.Equal(0, reopened.Recovery.TruncatedBytes);
        Assert.Equal(["前", huge, "后"], ReadAll(reopened).Select(n => n.Text));
    }

    [Fact]
    public void A_second_store_on_the_same_directory_is_refused()
    {
        using var store = Open();

        Assert.ThrowsAny<IOException>(() => JournalStore.Open(_directory.Path, _time));
    }

    [Fact]
    public void The_file_holds_one_readable_json_line_per_note()
    {
        using (var store = Open()) Commit(store, Native(1, "今天天气很好"), Plain("第二条"));

        var lines = File.ReadAllLines(_directory.JournalPath, Encoding.UTF8);

        Assert.Equal(2, lines.Length);
        Assert.Contains("今天天气很好", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"num\":1", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"origin\":\"plain\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_written_from_lines_is_byte_for_byte_the_page_encoded_from_notes()
    {
        using (var store = Open())
        {
            for (var i = 0; i < 60; i++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                Commit(store, i % 3 == 0 ? Plain($"plain {i} \"quoted\" \u001b 日志", client: $"host-{i % 2}", address: $"10.0.0.{i % 2}:514") : Native((ulong)i + 1, $"note {i} 今天 🙂"));
            }
        }
        // A line damaged on disk (not the last, which recovery would cut) is skipped by both paths.
        var bytes = File.ReadAllBytes(_directory.JournalPath);
        var second = Array.IndexOf(bytes, (byte)'\n') + 1;
        bytes[second + 1] = (byte)'x';
        File.WriteAllBytes(_directory.JournalPath, bytes);
        using var reopened = Open();
        HistoryFilter[] filters =
        [
            HistoryFilter.None, new(Client: "host-1"), new(Address: "10.0.0.0"), new(Client: "nobody"),
            new(SinceMs: T0.AddSeconds(10).ToUnixTimeMilliseconds(), UntilMs: T0.AddSeconds(40).ToUnixTimeMilliseconds()),
        ];
        var notes = new ArrayBufferWriter<byte>();
        foreach (var filter in filters)
        foreach (var (after, until) in new[] { (0UL, 0UL), (5UL, 0UL), (3UL, 20UL), (59UL, 0UL), (100UL, 0UL) })
        foreach (var maxBytes in new[] { 1, 200, 1000, 60_000 })
        {
            var page = reopened.ReadPage(filter, after, until, maxBytes, maxScan: 25);
            notes.ResetWrittenCount();
            var wire = reopened.ReadPageWire(filter, after, until, maxBytes, notes, maxScan: 25);
            var expected = MessageCodec.Encode(new HistoryPage(9, page.NextAfterSeq, page.Complete, page.Notes));
            var actual = new byte[MessageCodec.PageOverhead + wire.Bytes];
            MessageCodec.WriteHistoryPageHeader(actual, 9, wire.NextAfterSeq, wire.Complete, wire.Count);
            notes.WrittenSpan.CopyTo(actual.AsSpan(MessageCodec.PageOverhead));
            Assert.Equal(expected, actual);
            Assert.Equal(page.Notes.Count, wire.Count);
        }
    }
}
