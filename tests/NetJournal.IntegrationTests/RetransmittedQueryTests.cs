using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

public sealed class RetransmittedQueryTests
{
    [Fact]
    public async Task A_retransmitted_count_gets_the_first_answer_again_instead_of_a_new_scan()
    {
        await using var server = TestServer.Start();
        await using (var writer = server.Client("计数"))
            await writer.WriteAsync(Lines.Of(Enumerable.Range(1, 50).Select(i => $"重要 {i}")));
        using var raw = new RawUdp(server.EndPoint);
        var request = new CountRequest(5, ReadOnlyMemory<byte>.Empty, 0, new HistoryFilter(Grep: "重要"));
        raw.Send(request);
        Assert.Equal(50UL, Assert.IsType<CountReply>(await raw.ReceiveMessageAsync()).Matched);

        await using (var writer = server.Client("计数"))
            Assert.True((await writer.WriteAsync("重要 51")).IsStored);

        // The same request again (a retransmission): the answer it already had, not a second scan.
        raw.Send(request);
        Assert.Equal(50UL, Assert.IsType<CountReply>(await raw.ReceiveMessageAsync()).Matched);
        // A new request sees the new note.
        raw.Send(request with { RequestId = 6 });
        Assert.Equal(51UL, Assert.IsType<CountReply>(await raw.ReceiveMessageAsync()).Matched);
    }
}
