using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

public sealed class RestartAndDedupTests
{
    [Fact]
    public async Task A_restart_keeps_every_note_and_a_retried_append_is_not_stored_twice()
    {
        var server = TestServer.Start();
        try
        {
            await using (var client = server.Client("日记"))
            {
                var summary = await client.WriteAsync(Lines.Of(Enumerable.Range(1, 300).Select(i => $"重启前 {i}")));
                Assert.Equal(300, summary.Stored);
            }
            var append = AppendRequest.FromTexts(0xC0FFEE, 1, "重试者", ["只存一次 once"]);
            using (var raw = new RawUdp(server.EndPoint))
            {
                raw.Send(append);
                var ack = Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync());
                Assert.Equal(NoteStatus.Stored, ack.Results[0].Status);
                Assert.Equal(301UL, ack.Results[0].Seq);
            }

            server = await server.RestartAsync();

            using (var raw = new RawUdp(server.EndPoint))
            {
                // The same datagram again, as a client retrying after a lost acknowledgement.
                raw.Send(append);
                var ack = Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync());
                Assert.Equal(NoteStatus.Duplicate, ack.Results[0].Status);
            }
            await using var reader = server.Client("reader");
            var all = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
            Assert.Equal(301, all.Count);
            Assert.Single(all, n => n.Text == "只存一次 once");
            Assert.Equal(Enumerable.Range(1, 300).Select(i => $"重启前 {i}"), all.Where(n => n.Client == "日记").Select(n => n.Text));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_datagram_that_arrives_before_an_earlier_one_waits_so_the_clients_order_holds()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        var second = new AppendRequest(77, 1, 2, "乱序", [System.Text.Encoding.UTF8.GetBytes("第二")]);
        var first = new AppendRequest(77, 1, 1, "乱序", [System.Text.Encoding.UTF8.GetBytes("第一")]);
        raw.Send(second);
        Assert.Equal(NoteStatus.Deferred, Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync()).Results[0].Status);
        raw.Send(first);
        Assert.Equal(NoteStatus.Stored, Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync()).Results[0].Status);
        raw.Send(second);
        Assert.Equal(NoteStatus.Stored, Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync()).Results[0].Status);
        await using var reader = server.Client("reader");
        Assert.Equal(["第一", "第二"], (await reader.HistoryAsync(HistoryFilter.None).ToListAsync()).Select(n => n.Text));
    }
}
