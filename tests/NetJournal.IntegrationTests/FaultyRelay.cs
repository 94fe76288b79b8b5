using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NetJournal.IntegrationTests;

/// <summary>What the relay does to each datagram of one direction: drop, duplicate, hold back (reorder), delay.</summary>
public sealed record FaultProfile(double Drop = 0, double Duplicate = 0, double Reorder = 0, TimeSpan Delay = default);

/// <summary>
/// A UDP relay on 127.0.0.1 between clients and one server that loses, duplicates and reorders datagrams,
/// driven by a seeded <see cref="Random"/> per direction (the decisions are a fixed sequence; which datagram
/// meets which decision depends on arrival order). Each client source address gets its own upstream socket,
/// so the server sees one address per client and its replies go back to the right client.
/// </summary>
public sealed class FaultyRelay : IAsyncDisposable
{
    /// <summary>The decisions and counters of one direction.</summary>
    public sealed class Direction(int seed, FaultProfile profile)
    {
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();
        private (byte[] Data, Action<byte[]> Send)? _held;
        private long _received, _delivered, _dropped, _duplicated, _reordered;

        public FaultProfile Profile { get; } = profile;
        public long Received => Interlocked.Read(ref _received);
        public long Delivered => Interlocked.Read(ref _delivered);
        public long Dropped => Interlocked.Read(ref _dropped);
        public long Duplicated => Interlocked.Read(ref _duplicated);
        public long Reordered => Interlocked.Read(ref _reordered);

        public override string ToString() =>
            $"收到 {Received}，送出 {Delivered}，丢弃 {Dropped}，重复 {Duplicated}，乱序 {Reordered}";

        /// <summary>Decides the datagram's fate and returns what to send now, in order.</summary>
        internal List<(byte[] Data, Action<byte[]> Send)> Decide(byte[] data, Action<byte[]> send)
        {
            var now = new List<(byte[], Action<byte[]>)>(3);
            lock (_gate)
            {
                _received++;
                // Always draw all three numbers, so the sequence of decisions depends on the seed alone.
                var drop = _random.NextDouble();
                var duplicate = _random.NextDouble();
                var reorder = _random.NextDouble();
                var released = _held;
                _held = null;
                if (drop < Profile.Drop)
                {
                    _dropped++;
                }
                else
                {
                    var copies = 1;
                    if (duplicate < Profile.Duplicate)
                    {
                        copies = 2;
                        _duplicated++;
                    }
                    if (reorder < Profile.Reorder && released is null)
                    {
                        // Held back: it goes out right after the next datagram of this direction.
                        _held = (data, send);
                        _reordered++;
                        copies--;
                    }
                    for (var i = 0; i < copies; i++) now.Add((data, send));
                }
                if (released is { } r) now.Add(r);
                _delivered += now.Count;
            }
            return now;
        }
    }

    private readonly Socket _front;
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _upstreams = new();
    private readonly ConcurrentBag<Task> _loops = [];
    private readonly Task _frontLoop;

    public FaultyRelay(IPEndPoint server, int seed, FaultProfile toServer, FaultProfile toClient)
    {
        _server = server;
        ToServer = new Direction(seed, toServer);
        ToClient = new Direction(unchecked(seed * 7919 + 1), toClient);
        _front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try { _front.ReceiveBufferSize = 4 * 1024 * 1024; } catch (SocketException) { }
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_front.LocalEndPoint!;
        _frontLoop = Task.Run(FrontLoopAsync);
    }

    /// <summary>Where clients send: the relay's own address.</summary>
    public IPEndPoint EndPoint { get; }
    public Direction ToServer { get; }
    public Direction ToClient { get; }
    public int Clients => _upstreams.Count;

    public override string ToString() => $"客户→服务器：{ToServer}；服务器→客户：{ToClient}；客户地址 {Clients} 个";

    private async Task FrontLoopAsync()
    {
        var buffer = new byte[70_000];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            var client = (IPEndPoint)result.RemoteEndPoint;
            var upstream = _upstreams.GetOrAdd(client, OpenUpstream);
            Forward(ToServer, buffer[..result.ReceivedBytes], d => SendQuietly(() => upstream.Send(d)));
        }
    }

    private Socket OpenUpstream(IPEndPoint client)
    {
        var upstream = new Socket(_server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try { upstream.ReceiveBufferSize = 4 * 1024 * 1024; } catch (SocketException) { }
        upstream.Connect(_server);
        _loops.Add(Task.Run(() => UpstreamLoopAsync(upstream, client)));
        return upstream;
    }

    private async Task UpstreamLoopAsync(Socket upstream, IPEndPoint client)
    {
        var buffer = new byte[70_000];
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await upstream.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // The server's port is closed for now (ICMP port unreachable): as good as a lost datagram.
                continue;
            }
            Forward(ToClient, buffer[..received], d => SendQuietly(() => _front.SendTo(d, client)));
        }
    }

    private void Forward(Direction direction, byte[] data, Action<byte[]> send)
    {
        var now = direction.Decide(data, send);
        if (direction.Profile.Delay > TimeSpan.Zero)
            _loops.Add(DeliverLaterAsync(now, direction.Profile.Delay));
        else
            foreach (var (d, s) in now) s(d);
    }

    private async Task DeliverLaterAsync(List<(byte[] Data, Action<byte[]> Send)> datagrams, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        foreach (var (d, s) in datagrams) s(d);
    }

    private static void SendQuietly(Action send)
    {
        try
        {
            send();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A datagram the network could not take is simply lost; the sender retransmits.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _front.Dispose();
        foreach (var upstream in _upstreams.Values) upstream.Dispose();
        try { await _frontLoop; } catch (OperationCanceledException) { }
        foreach (var loop in _loops)
        {
            try { await loop; } catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }
}
