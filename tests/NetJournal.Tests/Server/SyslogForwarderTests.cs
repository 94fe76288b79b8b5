using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Protocol.Syslog;
using NetJournal.Server;

namespace NetJournal.Tests.Server;

public class SyslogForwarderTests
{
    private static CommittedNote Record(ulong seq) => new(seq, 1_764_000_000_000, "alice", "127.0.0.1:1", $"note {seq}");

    [Fact]
    public async Task A_full_queue_drops_and_counts_instead_of_waiting_then_the_rest_is_sent_in_order()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var forwarder = new SyslogForwarder(new ForwardTarget("127.0.0.1", ((IPEndPoint)receiver.LocalEndPoint!).Port), 2, NullLogger.Instance);
        // Not started yet: nothing drains the queue, so the third and later offers find it full and return at once.
        for (ulong seq = 1; seq <= 5; seq++) forwarder.Offer(Record(seq));
        Assert.Equal(3, forwarder.Dropped);

        forwarder.Start();
        await forwarder.StopAsync();
        Assert.Equal(2, forwarder.Sent);
        var buffer = new byte[2048];
        foreach (var seq in new[] { "1", "2" })
        {
            var n = receiver.Receive(buffer);
            Assert.True(SyslogParser.TryParse(buffer.AsSpan(0, n), out var m));
            Assert.Equal(seq, m.MsgId);
            Assert.Equal($"note {seq}", m.Message);
        }
    }

    [Fact]
    public void A_host_that_does_not_resolve_is_an_error_at_start() =>
        Assert.Throws<IOException>(() => new SyslogForwarder(new ForwardTarget("no-such-host.invalid", 514), 16, NullLogger.Instance));
}
