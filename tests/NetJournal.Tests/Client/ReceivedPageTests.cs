using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.Tests.Client;

public class ReceivedPageTests
{
    private static readonly Note[] Notes =
    [
        new(1, 1_764_000_000_000, "王五", "127.0.0.1:5000", "第一条 🙂"),
        new(2, 1_764_000_000_001, "bob", "[::1]:6000", "plain", NoteOrigin.PlainText),
        new(3, 1_764_000_000_002, "王五", "127.0.0.1:5000", "syslog", NoteOrigin.Syslog, 13),
        new(5, 1_764_000_000_003, "", "", ""),
    ];

    private static ReceivedPage Receive(HistoryPage page)
    {
        var datagram = MessageCodec.Encode(page);
        Assert.True(HistoryPageView.TryRead(datagram, out var view));
        return ReceivedPage.Copy(datagram, view);
    }

    [Fact]
    public void A_received_page_reads_back_the_notes_that_were_sent()
    {
        var received = Receive(new HistoryPage(7, 5, true, Notes));
        Assert.Equal((7u, 5UL, true, 4), (received.RequestId, received.NextAfterSeq, received.Complete, received.NoteCount));
        var notes = new List<Note>();
        received.ReadNotes(notes, new Utf8StringCache());
        Assert.Equal(Notes, notes);
    }

    [Fact]
    public void Notes_of_one_reader_share_their_name_and_address_strings()
    {
        var strings = new Utf8StringCache();
        var notes = new List<Note>();
        Receive(new HistoryPage(1, 3, false, Notes[..2])).ReadNotes(notes, strings);
        Receive(new HistoryPage(2, 5, true, Notes[2..])).ReadNotes(notes, strings);
        Assert.Same(notes[0].Client, notes[2].Client);
        Assert.Same(notes[0].Address, notes[2].Address);
        Assert.NotSame(notes[0].Client, notes[1].Client);
    }

    [Fact]
    public void The_public_page_is_the_same_as_the_decoder_gives()
    {
        var page = new HistoryPage(9, 5, false, Notes);
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(MessageCodec.Encode(page), out var decoded));
        var expected = (HistoryPage)decoded!;
        var actual = Receive(page).ToHistoryPage();
        Assert.Equal((expected.RequestId, expected.NextAfterSeq, expected.Complete), (actual.RequestId, actual.NextAfterSeq, actual.Complete));
        Assert.Equal(expected.Notes, actual.Notes);
    }

    [Fact]
    public void The_string_cache_tells_apart_equal_hashes_and_stays_bounded()
    {
        var cache = new Utf8StringCache(capacity: 2);
        Assert.Equal("", cache.Get([]));
        Assert.Equal("a", cache.Get("a"u8));
        Assert.Equal("b", cache.Get("b"u8));
        Assert.Equal("张三", cache.Get("张三"u8));
        Assert.InRange(cache.Count, 1, 2);
        Assert.Same(cache.Get("张三"u8), cache.Get("张三"u8));
    }
}
