using System.Net;
using NetJournal.Client;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

public sealed class Ipv6Tests
{
    [Fact]
    public async Task A_server_bound_to_ipv6_loopback_stores_and_serves_notes_with_ipv6_addresses()
    {
        await using var server = TestServer.Start(bind: IPAddress.IPv6Loopback);
        await using var client = new JournalClient(new IPEndPoint(IPAddress.IPv6Loopback, server.Server.LocalEndPoint.Port), new JournalClientOptions { Name = "六号" });
        Assert.True((await client.WriteAsync("IPv6 你好")).IsStored);
        var notes = await client.HistoryAsync(new HistoryFilter(Address: "::1")).ToListAsync();
        Assert.Equal("IPv6 你好", Assert.Single(notes).Text);
        Assert.StartsWith("[::1]:", notes[0].Address);
    }

    [Fact]
    public async Task The_default_dual_stack_bind_takes_ipv4_and_ipv6_clients_and_shows_ipv4_plainly()
    {
        await using var server = TestServer.Start(bind: IPAddress.IPv6Any);
        var port = server.Server.LocalEndPoint.Port;
        await using (var v4 = new JournalClient(new IPEndPoint(IPAddress.Loopback, port), new JournalClientOptions { Name = "四" }))
            Assert.True((await v4.WriteAsync("from IPv4")).IsStored);
        await using var v6 = new JournalClient(new IPEndPoint(IPAddress.IPv6Loopback, port), new JournalClientOptions { Name = "六" });
        Assert.True((await v6.WriteAsync("from IPv6")).IsStored);
        var notes = await v6.HistoryAsync(HistoryFilter.None).ToListAsync();
        Assert.StartsWith("127.0.0.1:", notes[0].Address);
        Assert.StartsWith("[::1]:", notes[1].Address);
    }
}
