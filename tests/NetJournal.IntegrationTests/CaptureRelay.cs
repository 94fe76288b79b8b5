using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NetJournal.IntegrationTests;

/// <summary>
/// A UDP relay on loopback that passes every datagram on unchanged and keeps a copy of each, in both directions:
/// what a listener on the path would capture. One upstream socket per client address, as a NAT would.
/// </summary>
public sealed class CaptureRelay : IAsyncDisposable
{
    private readonly Socket _listen;
    private readonly IPEndPoint _server;
    private readonly ConcurrentDictionary<EndPoint, Socket> _upstreams = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public CaptureRelay(IPEndPoint server)
    {
        _server = server;
        _listen = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _listen.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_listen.LocalEndPoint!;
        _loops.Add(Task.Run(FromClientsAsync));
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Every datagram a client sent, in order.</summary>
    public ConcurrentQueue<byte[]> ToServer { get; } = new();

    /// <summary>Datagrams for which this says true are kept in <see cref="Held"/> and never reach the server (a capture the server never saw).</summary>
    public Func<byte[], bool>? HoldToServer { get; set; }

    /// <summary>What <see cref="HoldToServer"/> kept back.</summary>
    public ConcurrentQueue<byte[]> Held { get; } = new();

    /// <summary>Every datagram the server sent back, in order.</summary>
    public ConcurrentQueue<byte[]> ToClient { get; } = new();

    private async Task FromClientsAsync()
    {
        var buffer = new byte[70_000];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _listen.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var data = buffer[..r.ReceivedBytes];
            ToServer.Enqueue(data);
            if (HoldToServer?.Invoke(data) == true)
            {
                Held.Enqueue(data);
                continue;
            }
            var upstream = _upstreams.GetOrAdd(r.RemoteEndPoint, client =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Connect(_server);
                lock (_loops) _loops.Add(Task.Run(() => FromServerAsync(socket, client)));
                return socket;
            });
            try { upstream.Send(data); } catch (SocketException) { }
        }
    }

    private async Task FromServerAsync(Socket upstream, EndPoint client)
    {
        var buffer = new byte[70_000];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await upstream.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            var data = buffer[..n];
            ToClient.Enqueue(data);
            try { await _listen.SendToAsync(data, SocketFlags.None, client); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listen.Dispose();
        foreach (var s in _upstreams.Values) s.Dispose();
        Task[] loops;
        lock (_loops) loops = [.. _loops];
        await Task.WhenAll(loops);
        _stop.Dispose();
    }
}
