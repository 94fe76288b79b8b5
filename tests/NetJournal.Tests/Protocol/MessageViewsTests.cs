using System.Runtime.InteropServices;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

/// <summary>What holds for all the views together: one view per datagram, no allocation, and a decoder that keeps slices.</summary>
public sealed class MessageViewsTests
{
    private static readonly byte[] Token = [1, 2, 3, 4, 5, 6, 7, 8];

    private static readonly JournalMessage[] OneOfEach =
    [
        AppendRequest.FromTexts(1, 2, "办公室电脑", ["今天天气很好 🙂", "second"]),
        new AppendAck(1, 2, [NoteResult.Stored(300), NoteResult.Duplicate(4), NoteResult.Rejected(ErrorCode.InvalidUtf8), NoteResult.Deferred]),
        new HistoryRequest(1, Token, 2, 3, 1232, new HistoryFilter("办公室电脑", "[::1]", 1, 2, "天气")),
        new HistoryPage(1, 2, true, [new Note(1, 2, "路由器", "[::1]:514", "链路 up", NoteOrigin.Syslog, 13), new Note(3, 4, "pc", "10.0.0.1:1", "第二条")]),
        new CountRequest(1, Token, 5, new HistoryFilter(Grep: "🙂", SinceMs: -3)),
        new CountReply(1, 300, 2, 3, 4),
        new ClientsRequest(1, Token, 2, 3),
        new ClientsPage(1, 2, true, [new ClientSummary("办公室电脑", "10.0.0.1:1", 3, 4, 5), new ClientSummary("pc", "[::1]:2", 6, 7, 8)]),
        new ErrorReply(1, ErrorCode.Malformed, "坏了"),
        new RetryChallenge(1, Token),
    ];

    [Fact]
    public void Every_message_is_read_by_its_own_view_and_by_no_other()
    {
        ViewGen.AnyMessage.Sample(message =>
        {
            var accepted = AcceptingViews(MessageCodec.Encode(message));
            Assert.Equal([message.Type], accepted);
        }, iter: ViewGen.Iterations);
    }

    [Fact]
    public void Every_truncation_of_every_message_is_refused_by_every_view()
    {
        foreach (var message in OneOfEach)
        {
            var full = MessageCodec.Encode(message);
            Assert.Equal([message.Type], AcceptingViews(full));
            for (var length = 0; length < full.Length; length++)
                Assert.Empty(AcceptingViews(full[..length]));
        }
    }

    [Fact]
    public void Reading_any_datagram_through_its_view_allocates_nothing()
    {
        var datagrams = OneOfEach.Select(m => MessageCodec.Encode(m)).ToArray();
        Assert.All(datagrams, datagram => Assert.NotEqual(-1, ReadEveryField(datagram)));
        var expected = datagrams.Sum(ReadEveryField);

        long checksum = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 100; round++)
            foreach (var datagram in datagrams) checksum += ReadEveryField(datagram);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(expected * 100, checksum);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(ProtocolConstants.MaxTokenBytes)]
    public void Decoded_tokens_are_slices_of_the_datagram_even_when_empty(int tokenLength)
    {
        var token = Enumerable.Range(1, tokenLength).Select(i => (byte)i).ToArray();
        JournalMessage[] messages =
        [
            new HistoryRequest(1, token, 2, 3, 4, HistoryFilter.None), new CountRequest(1, token, 2, HistoryFilter.None),
            new ClientsRequest(1, token, 2, 3), new RetryChallenge(1, token),
        ];
        foreach (var message in messages)
        {
            var datagram = MessageCodec.Encode(message);
            Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram, out var decoded));
            var slice = decoded switch
            {
                HistoryRequest m => m.Token,
                CountRequest m => m.Token,
                ClientsRequest m => m.Token,
                RetryChallenge m => m.Token,
                _ => throw new InvalidOperationException(),
            };
            Assert.True(MemoryMarshal.TryGetArray(slice, out var segment));
            Assert.Same(datagram, segment.Array);
            // After the header, the four-byte id and the one-byte token length.
            Assert.Equal(ProtocolConstants.HeaderSize + 4 + 1, segment.Offset);
            Assert.Equal(tokenLength, segment.Count);
        }
    }

    [Fact]
    public void Decoded_empty_append_notes_are_slices_at_their_place_in_the_datagram()
    {
        var datagram = MessageCodec.Encode(new AppendRequest(1, 1, 1, "pc", [new byte[] { 0x61 }, Array.Empty<byte>(), new byte[] { 0x62 }]));
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(datagram, out var decoded));

        var notes = ((AppendRequest)decoded!).Notes;

        int[] offsets = [.. notes.Select(n => MemoryMarshal.TryGetArray(n, out var s) && s.Array == datagram ? s.Offset : -1)];
        // Notes start after the header, instance (8), base and first (1 each), name (1 + 2) and count (1); each has a one-byte length.
        var first = ProtocolConstants.HeaderSize + 8 + 1 + 1 + 3 + 1 + 1;
        Assert.Equal([first, first + 2, first + 3], offsets);
    }

    /// <summary>The types whose view accepts the datagram.</summary>
    private static List<MessageType> AcceptingViews(byte[] datagram)
    {
        var types = new List<MessageType>();
        if (AppendRequestView.TryRead(datagram, out _)) types.Add(MessageType.AppendRequest);
        if (AppendAckView.TryRead(datagram, out _)) types.Add(MessageType.AppendAck);
        if (HistoryRequestView.TryRead(datagram, out _)) types.Add(MessageType.HistoryRequest);
        if (HistoryPageView.TryRead(datagram, out _)) types.Add(MessageType.HistoryPage);
        if (CountRequestView.TryRead(datagram, out _)) types.Add(MessageType.CountRequest);
        if (CountReplyView.TryRead(datagram, out _)) types.Add(MessageType.CountReply);
        if (ClientsRequestView.TryRead(datagram, out _)) types.Add(MessageType.ClientsRequest);
        if (ClientsPageView.TryRead(datagram, out _)) types.Add(MessageType.ClientsPage);
        if (ErrorReplyView.TryRead(datagram, out _)) types.Add(MessageType.ErrorReply);
        if (RetryChallengeView.TryRead(datagram, out _)) types.Add(MessageType.RetryChallenge);
        return types;
    }

    /// <summary>Reads the datagram through its view and folds every field, every enumerated item included, into a number.</summary>
    private static long ReadEveryField(byte[] datagram)
    {
        long sum = 0;
        if (AppendRequestView.TryRead(datagram, out var append))
        {
            sum += (long)(append.Instance ^ append.Base ^ append.FirstNumber) + append.Name.Length;
            foreach (var note in append) sum += note.Length;
        }
        else if (AppendAckView.TryRead(datagram, out var ack))
        {
            sum += (long)(ack.Instance ^ ack.FirstNumber);
            foreach (var result in ack) sum += (long)result.Status + (long)result.Seq + (long)result.Error;
        }
        else if (HistoryRequestView.TryRead(datagram, out var history))
        {
            sum += history.RequestId + history.Token.Length + (long)(history.AfterSeq ^ history.UntilSeq) + history.MaxReply + Fold(history.Filter);
        }
        else if (HistoryPageView.TryRead(datagram, out var page))
        {
            sum += page.RequestId + (long)page.NextAfterSeq + (page.Complete ? 1 : 0);
            foreach (var note in page)
                sum += (long)note.Seq + note.TimeMs + note.Client.Length + note.Address.Length + note.Text.Length + (long)note.Origin + (note.Priority ?? 0);
        }
        else if (CountRequestView.TryRead(datagram, out var count))
        {
            sum += count.RequestId + count.Token.Length + (long)count.LastN + Fold(count.Filter);
        }
        else if (CountReplyView.TryRead(datagram, out var reply))
        {
            sum += reply.RequestId + (long)(reply.Matched ^ reply.StartAfterSeq ^ reply.EndSeq ^ reply.TotalNotes);
        }
        else if (ClientsRequestView.TryRead(datagram, out var clients))
        {
            sum += clients.RequestId + clients.Token.Length + (long)clients.AfterIndex + clients.MaxReply;
        }
        else if (ClientsPageView.TryRead(datagram, out var clientsPage))
        {
            sum += clientsPage.RequestId + (long)clientsPage.NextIndex + (clientsPage.Complete ? 1 : 0);
            foreach (var client in clientsPage)
                sum += client.Name.Length + client.LastAddress.Length + (long)client.NoteCount + client.FirstMs + client.LastMs;
        }
        else if (ErrorReplyView.TryRead(datagram, out var error))
        {
            sum += error.RequestId + (long)error.Code + error.Detail.Length;
        }
        else if (RetryChallengeView.TryRead(datagram, out var challenge))
        {
            sum += challenge.RequestId + challenge.Token.Length;
        }
        else
        {
            sum = -1;
        }
        return sum;
    }

    private static long Fold(HistoryFilterView filter) =>
        filter.Client.Length + filter.Address.Length + filter.Grep.Length + (filter.SinceMs ?? 0) + (filter.UntilMs ?? 0)
        + (filter.HasClient ? 1 : 0) + (filter.HasAddress ? 2 : 0) + (filter.HasGrep ? 4 : 0);
}
