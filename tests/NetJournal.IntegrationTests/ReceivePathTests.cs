using System.Net;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>Both ways of reading the socket serve the same: batches of recvmmsg and one ReceiveFrom at a time.</summary>
public sealed class ReceivePathTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Many_writers_and_their_sources_come_through_either_receive_path(bool batchReceive)
    {
        await using var server = TestServer.Start(bind: IPAddress.IPv6Any, batchReceive: batchReceive);
        var port = server.Server.LocalEndPoint.Port;
        var writers = Enumerable.Range(1, 4).Select(async w =>
        {
            var address = w % 2 == 0 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            await using var client = new JournalClient(new IPEndPoint(address, port), new JournalClientOptions { Name = $"路径{w}" });
            return await client.WriteAsync(Lines.Of(Enumerable.Range(1, 300).Select(i => $"{w}-{i} 批量")));
        });
        Assert.All(await Task.WhenAll(writers), s => Assert.Equal(300, s.Stored));
        await using var reader = server.Client("reader");
        var clients = await reader.ClientsAsync();
        Assert.Equal(4, clients.Count(c => c.Name.StartsWith("路径")));
        Assert.StartsWith("127.0.0.1:", clients.First(c => c.Name == "路径1").LastAddress);
        Assert.StartsWith("[::1]:", clients.First(c => c.Name == "路径2").LastAddress);
        Assert.Equal(1200UL, (await reader.CountAsync(HistoryFilter.None)).Matched);
    }
}
