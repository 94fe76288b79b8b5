using System.Text;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>A real server keeps appends that come before an earlier number, for a client that accepts Held.</summary>
public sealed class HeldAppendTests
{
    private const ulong Instance = 0x1A2B3C4D5E6F7081;

    private static AppendRequest Append(ulong number, string text) =>
        new AppendRequest(Instance, 1, number, "乱序", [Encoding.UTF8.GetBytes(text)]) { AcceptsHeld = true };

    private static async Task<AppendAck> AckAsync(RawUdp raw) => Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync());

    [Fact]
    public async Task Datagrams_sent_after_a_lost_one_are_held_then_stored_in_order_with_consecutive_seqs_once_it_comes()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);

        raw.Send(Append(2, "第二"));
        var held2 = await AckAsync(raw);
        raw.Send(Append(3, "第三"));
        var held3 = await AckAsync(raw);
        Assert.Equal((2UL, NoteStatus.Held), (held2.FirstNumber, Assert.Single(held2.Results).Status));
        Assert.Equal((3UL, NoteStatus.Held), (held3.FirstNumber, Assert.Single(held3.Results).Status));
        Assert.Equal(0, server.Server.Store.NoteCount);

        raw.Send(Append(1, "第一"));
        var acks = new[] { await AckAsync(raw), await AckAsync(raw), await AckAsync(raw) };

        Assert.Equal([1UL, 2UL, 3UL], acks.Select(a => a.FirstNumber));
        Assert.All(acks, a => Assert.Equal(NoteStatus.Stored, Assert.Single(a.Results).Status));
        var first = acks[0].Results[0].Seq;
        Assert.Equal([first, first + 1, first + 2], acks.Select(a => a.Results[0].Seq));
        Assert.Equal(2, server.Server.Counters.Held);
        Assert.Contains(" held=2 ", server.Server.Counters.ToString(), StringComparison.Ordinal);

        await using var reader = server.Client("reader");
        Assert.Equal(["第一", "第二", "第三"], (await reader.HistoryAsync(HistoryFilter.None).ToListAsync()).Select(n => n.Text));
    }

    [Fact]
    public async Task Any_other_flag_is_still_refused_with_unknown_message()
    {
        await using var server = TestServer.Start();
        using var raw = new RawUdp(server.EndPoint);
        var datagram = MessageCodec.Encode(Append(1, "x"));
        datagram[5] = (byte)(HeaderFlags.AcceptsHeld | HeaderFlags.Sealed);

        raw.Send(datagram);

        Assert.Equal(ErrorCode.UnknownMessage, Assert.IsType<ErrorReply>(await raw.ReceiveMessageAsync()).Code);
        Assert.Equal(0, server.Server.Store.NoteCount);
    }
}
