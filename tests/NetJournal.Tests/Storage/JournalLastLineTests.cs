using System.Buffers;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Tests.Storage;

/// <summary>A journal whose last line is whole and valid but lacks its newline (edited by hand, appended by another tool).</summary>
public sealed class JournalLastLineTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 3, 6, 34, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(T0);

    public void Dispose() => _directory.Dispose();

    private JournalStore Open() => JournalStore.Open(_directory.Path, _time);

    private static PendingNote Plain(string text) => new("10.0.0.2", "10.0.0.2:40000", text, NoteOrigin.PlainText);

    private static void Commit(JournalStore store, string text)
    {
        var results = new NoteResult[1];
        Assert.Null(store.Commit([Plain(text)], results));
        Assert.Equal(NoteResult.Stored(store.LastSeq), results[0]);
    }

    private static byte[] Line(ulong seq, string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JournalLine.Write(new JournalRecord(seq, T0.ToUnixTimeMilliseconds(), "hand", "-", text), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static List<Note> ReadAll(JournalStore store) => [.. store.ReadPage(HistoryFilter.None, 0, 0, 1 << 20).Notes];

    private void WriteTwoNotesThen(byte[] tail)
    {
        using (var store = Open())
        {
            Commit(store, "第一条");
            Commit(store, "第二条");
        }
        using var file = new FileStream(_directory.JournalPath, FileMode.Append);
        file.Write(tail);
    }

    [Fact]
    public void A_whole_last_line_without_its_newline_is_kept_and_the_newline_added()
    {
        var line = Line(3, "added by hand");
        Assert.Equal((byte)'\n', line[^1]);
        WriteTwoNotesThen(line[..^1]);
        var before = File.ReadAllBytes(_directory.JournalPath);

        using (var store = Open())
        {
            Assert.True(store.Recovery.NewlineAdded);
            Assert.Equal(0, store.Recovery.TruncatedBytes);
            Assert.Empty(store.Recovery.CorruptLines);
            Assert.Equal(3, store.Recovery.Notes);
            Assert.Equal([.. before, (byte)'\n'], File.ReadAllBytes(_directory.JournalPath));
            Assert.Equal("added by hand", ReadAll(store)[2].Text);
            // The next note goes on a line of its own after it, with the next seq.
            Commit(store, "第四条");
            Assert.Equal(4UL, store.LastSeq);
        }

        using var again = Open();
        Assert.False(again.Recovery.NewlineAdded);
        Assert.Equal(0, again.Recovery.TruncatedBytes);
        Assert.Equal(["第一条", "第二条", "added by hand", "第四条"], ReadAll(again).Select(n => n.Text));
        Assert.Equal(4, File.ReadAllText(_directory.JournalPath).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_file_of_one_line_without_a_newline_is_kept()
    {
        File.WriteAllBytes(_directory.JournalPath, Line(1, "only")[..^1]);

        using var store = Open();

        Assert.True(store.Recovery.NewlineAdded);
        Assert.Equal(["only"], ReadAll(store).Select(n => n.Text));
        Assert.Equal(Line(1, "only"), File.ReadAllBytes(_directory.JournalPath));
    }

    public static TheoryData<string, byte[]> TornLastLines() => new()
    {
        { "half of a valid line", Line(3, "torn")[..20] },
        { "a valid line but its closing brace", Line(3, "torn")[..^2] },
        { "a whole line whose seq is not after the last one", Line(2, "again")[..^1] },
        { "garbage", Encoding.UTF8.GetBytes("不是JSON }{") },
    };

    [Theory]
    [MemberData(nameof(TornLastLines))]
    public void An_unterminated_last_line_that_is_not_a_valid_record_is_still_cut_as_a_torn_tail(string name, byte[] tail)
    {
        WriteTwoNotesThen([]);
        var whole = File.ReadAllBytes(_directory.JournalPath);
        WriteTwoNotesThenAppend(tail);

        using var store = Open();

        Assert.False(store.Recovery.NewlineAdded, name);
        Assert.Equal(tail.Length, store.Recovery.TruncatedBytes);
        Assert.Equal(2, store.NoteCount);
        Assert.Equal(whole, File.ReadAllBytes(_directory.JournalPath));
    }

    private void WriteTwoNotesThenAppend(byte[] tail)
    {
        using var file = new FileStream(_directory.JournalPath, FileMode.Append);
        file.Write(tail);
    }
}
