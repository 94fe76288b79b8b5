using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>Follow (11) and Notify (12): golden bytes, round trips, and the Notify rules a decoder enforces (protocol §4.12–4.13).</summary>
public sealed class FollowMessagesTests
{
    [Fact]
    public void A_follow_has_the_documented_layout_and_decodes_to_itself()
    {
        var follow = new FollowRequest(7, new byte[] { 0xAA, 0xBB }, 0x0102030405060708, 300, 1232, new HistoryFilter(Client: "ana"));

        var bytes = MessageCodec.Encode(follow);

        byte[] expected =
        [
            0xFE, (byte)'N', (byte)'J', 1, 11, 0, // header, type Follow
            0, 0, 0, 7, // RequestId
            2, 0xAA, 0xBB, // Token
            1, 2, 3, 4, 5, 6, 7, 8, // Subscription
            0xAC, 0x02, // AfterSeq 300
            0x04, 0xD0, // MaxReply 1232
            1, 3, (byte)'a', (byte)'n', (byte)'a', // Filter: client "ana"
        ];
        Assert.Equal(expected, bytes);
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(bytes, out var decoded));
        var back = Assert.IsType<FollowRequest>(decoded);
        Assert.Equal((7U, 0x0102030405060708UL, 300UL, (ushort)1232, "ana"), (back.RequestId, back.Subscription, back.AfterSeq, back.MaxReply, back.Filter.Client));
        Assert.Equal(new byte[] { 0xAA, 0xBB }, back.Token.ToArray());
    }

    [Fact]
    public void A_notify_round_trips_with_its_notes_in_the_history_page_wire_form()
    {
        var notes = new[] { new Note(5, 1_764_489_600_000, "张三", "127.0.0.1:4000", "你好"), new Note(9, 1_764_489_600_001, "bob", "[::1]:5", "hi", NoteOrigin.Syslog, 13) };
        var notify = new Notify(0, 42, 0xDEADBEEF, 4, 10, 30_000, notes);

        var bytes = MessageCodec.Encode(notify);

        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(bytes, out var decoded));
        var back = Assert.IsType<Notify>(decoded);
        Assert.Equal((0U, 42UL, 0xDEADBEEFUL, 4UL, 10UL, 30_000U), (back.RequestId, back.Subscription, back.Epoch, back.AfterSeq, back.UntilSeq, back.LeaseMs));
        Assert.Equal(notes, back.Notes);
        Assert.True(NotifyView.TryRead(bytes, out var view));
        Assert.Equal(2, view.NoteCount);
    }

    [Theory]
    [InlineData(6UL, 10UL, "a note at or below AfterSeq")]
    [InlineData(0UL, 8UL, "a note above UntilSeq")]
    [InlineData(10UL, 4UL, "UntilSeq below AfterSeq")]
    public void A_notify_whose_notes_are_outside_its_range_is_malformed(ulong after, ulong until, string why)
    {
        var notes = new[] { new Note(5, 1, "a", "b", "c"), new Note(9, 2, "a", "b", "d") };

        var bytes = MessageCodec.Encode(new Notify(0, 1, 1, after, until, 1, notes));

        Assert.True(DecodeStatus.Malformed == MessageCodec.TryDecode(bytes, out _), why);
    }

    [Fact]
    public void Notes_out_of_seq_order_in_a_notify_are_malformed()
    {
        var bytes = MessageCodec.Encode(new Notify(0, 1, 1, 0, 10, 1, [new Note(7, 1, "a", "b", "c"), new Note(6, 2, "a", "b", "d")]));

        Assert.Equal(DecodeStatus.Malformed, MessageCodec.TryDecode(bytes, out _));
    }
}
