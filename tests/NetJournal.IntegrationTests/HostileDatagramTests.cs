using System.Text;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

public sealed class HostileDatagramTests
{
    [Fact]
    public async Task Garbage_truncated_and_wrong_version_datagrams_never_stop_the_server()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        var valid = MessageCodec.Encode(AppendRequest.FromTexts(5, 1, "好人", ["正常的笔记"]));
        var random = new Random(2026);
        var hostile = new List<byte[]>
        {
            new byte[] { 0xFE }, new byte[] { 0xFE, (byte)'N', (byte)'J' }, new byte[] { 0xFE, (byte)'N', (byte)'J', 9, 1, 0 },
            new byte[] { 0xFE, (byte)'N', (byte)'J', 1, 200, 0 }, new byte[] { 0xFE, (byte)'N', (byte)'J', 1, 1, 0xFF },
            new byte[] { 0xFE, (byte)'N', (byte)'J', 1, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF },
        };
        for (var i = 1; i < valid.Length; i++) hostile.Add(valid[..i]);
        for (var i = 0; i < 200; i++)
        {
            var mutated = (byte[])valid.Clone();
            mutated[random.Next(3, mutated.Length)] ^= (byte)(1 << random.Next(8));
            hostile.Add(mutated);
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            bytes[0] = 0xFE;
            hostile.Add(bytes);
        }
        hostile.Add(new byte[65_507]);
        foreach (var datagram in hostile) raw.Send(datagram);

        // After all of it, a normal note is still acknowledged as stored.
        var ok = AppendRequest.FromTexts(6, 1, "好人", ["之后的笔记"]);
        raw.Send(ok);
        AppendAck? ack = null;
        while (ack is null || ack.Instance != 6) ack = await raw.ReceiveMessageAsync() as AppendAck;
        Assert.Equal(NoteStatus.Stored, ack.Results[0].Status);
        Assert.True(server.Server.Counters.Malformed > 0);
        Assert.All(File.ReadLines(server.JournalPath), line => Assert.NotNull(NetJournal.Storage.JournalLine.TryParse(Encoding.UTF8.GetBytes(line))));
    }

    [Fact]
    public async Task An_empty_datagram_is_dropped_and_a_note_with_nul_is_stored_exactly()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        raw.Send(ReadOnlySpan<byte>.Empty);
        raw.Send(AppendRequest.FromTexts(8, 1, "零字节", ["前\0后 \u0001"]));
        var ack = Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync());
        Assert.Equal(NoteStatus.Stored, ack.Results[0].Status);
        await using var reader = server.Client("reader");
        var notes = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
        Assert.Equal("前\0后 \u0001", Assert.Single(notes).Text);
    }

    [Fact]
    public async Task A_note_that_breaks_the_rules_is_refused_with_its_reason_and_nothing_is_stored()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        var bodies = new ReadOnlyMemory<byte>[]
        {
            Encoding.UTF8.GetBytes("第一行\n第二行"), Array.Empty<byte>(), new byte[] { 0xC3, 0x28 }, Encoding.UTF8.GetBytes(new string('长', 1366)),
        };
        raw.Send(new AppendRequest(9, 1, 1, "坏人", bodies));
        var ack = Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync());
        Assert.Equal([ErrorCode.NotOneLine, ErrorCode.EmptyNote, ErrorCode.InvalidUtf8, ErrorCode.NoteTooLong], ack.Results.Select(r => r.Error));
        Assert.All(ack.Results, r => Assert.Equal(NoteStatus.Rejected, r.Status));
        Assert.Equal(0, server.Server.Store.NoteCount);
    }

    [Fact]
    public async Task A_request_in_a_future_version_is_refused_with_an_error_datagram()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        var datagram = MessageCodec.Encode(new CountRequest(1, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None));
        datagram[3] = 2;
        raw.Send(datagram);
        var reply = Assert.IsType<ErrorReply>(await raw.ReceiveMessageAsync());
        Assert.Equal(ErrorCode.UnsupportedVersion, reply.Code);
    }

    [Fact]
    public async Task An_unvalidated_address_gets_no_more_than_three_times_what_it_sent()
    {
        await using var server = TestServer.Start();
        await using (var writer = server.Client("大量"))
            await writer.WriteAsync(Lines.Of(Enumerable.Range(1, 2000).Select(i => $"很长的笔记 {i} " + new string('字', 100))));
        using var raw = new RawUdp(server.EndPoint);
        var request = MessageCodec.Encode(new HistoryRequest(42, ReadOnlyMemory<byte>.Empty, 0, 0, 65_000, HistoryFilter.None));
        raw.Send(request);
        var reply = await raw.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(reply);
        Assert.True(reply.Length <= 3 * request.Length, $"{reply.Length} bytes answered {request.Length}");
        Assert.Equal(DecodeStatus.Ok, MessageCodec.TryDecode(reply, out var challenge));
        var token = Assert.IsType<RetryChallenge>(challenge).Token;

        // With the token the address is proven, and the page may be large.
        raw.Send(new HistoryRequest(43, token, 0, 0, 65_000, HistoryFilter.None));
        var page = Assert.IsType<HistoryPage>(await raw.ReceiveMessageAsync());
        Assert.True(page.Notes.Count > 10);
        Assert.Null(await raw.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task History_pages_stay_within_the_size_asked_for_and_a_larger_note_travels_alone()
    {
        await using var server = TestServer.Start();
        await using (var writer = server.Client("页"))
        {
            await writer.WriteAsync(Lines.Of(Enumerable.Range(1, 100).Select(i => $"第 {i} 条")));
            await writer.WriteAsync(new string('大', 1300));
        }
        using var raw = new RawUdp(server.EndPoint);
        raw.Send(new HistoryRequest(1, ReadOnlyMemory<byte>.Empty, 0, 0, 1232, HistoryFilter.None));
        var token = Assert.IsType<RetryChallenge>(await raw.ReceiveMessageAsync()).Token;
        ulong cursor = 0;
        var sizes = new List<int>();
        var notes = 0;
        while (true)
        {
            raw.Send(new HistoryRequest(2, token, cursor, 0, 1232, HistoryFilter.None));
            var bytes = await raw.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(bytes);
            MessageCodec.TryDecode(bytes, out var message);
            var page = Assert.IsType<HistoryPage>(message);
            sizes.Add(bytes.Length);
            notes += page.Notes.Count;
            if (page.Notes.Any(n => n.Text.Length == 1300)) Assert.Single(page.Notes);
            else Assert.True(bytes.Length <= 1232, $"a page of {bytes.Length} bytes");
            if (page.Complete) break;
            cursor = page.NextAfterSeq;
        }
        Assert.Equal(101, notes);
        Assert.True(sizes.Count > 2);
    }
}
