using System.Text;
using CsCheck;
using NetJournal.Protocol;

namespace NetJournal.Tests.Protocol;

public class RateCostTests
{
    private static readonly byte[] Token = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_history_request_with_a_token_costs_a_quarter()
    {
        var withToken = MessageCodec.Encode(new HistoryRequest(7, Token, 0, 0, 1232, new HistoryFilter(Client: "张三")));
        Assert.Equal(RateCost.HistoryRequestWithToken, RateCost.Of(withToken));
        Assert.Equal(0.25, RateCost.HistoryRequestWithToken);
    }

    [Fact]
    public void Everything_else_costs_one_datagram()
    {
        var filter = HistoryFilter.None;
        foreach (var datagram in new[]
                 {
                     MessageCodec.Encode(new HistoryRequest(7, ReadOnlyMemory<byte>.Empty, 0, 0, 1232, filter)),
                     MessageCodec.Encode(new CountRequest(7, Token, 0, filter)),
                     MessageCodec.Encode(new ClientsRequest(7, Token, 0, 1232)),
                     MessageCodec.Encode(new AppendRequest(1, 1, 1, "ana", [Encoding.UTF8.GetBytes("你好")])),
                     Encoding.UTF8.GetBytes("a plain-text note, 你好"),
                     Encoding.UTF8.GetBytes("<34>1 2026-11-25T13:40:05Z vm app - - - disk full"),
                     [],
                 })
            Assert.Equal(RateCost.Full, RateCost.Of(datagram));
    }

    [Fact]
    public void A_history_request_with_a_token_under_another_version_or_with_flags_costs_one()
    {
        var datagram = MessageCodec.Encode(new HistoryRequest(7, Token, 0, 0, 1232, HistoryFilter.None));
        var otherVersion = (byte[])datagram.Clone();
        otherVersion[3] = 2;
        var flagged = (byte[])datagram.Clone();
        flagged[5] = 1;
        Assert.Equal(RateCost.Full, RateCost.Of(otherVersion));
        Assert.Equal(RateCost.Full, RateCost.Of(flagged));
    }

    [Fact]
    public void Any_bytes_cost_a_quarter_or_one_and_never_throw()
    {
        Gen.Byte.Array[0, 64].Sample(bytes => Assert.Contains(RateCost.Of(bytes), new[] { RateCost.Full, RateCost.HistoryRequestWithToken }));
    }
}
