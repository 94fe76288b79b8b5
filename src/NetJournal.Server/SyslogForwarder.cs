using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Protocol.Syslog;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// Sends a copy of every stored note to one syslog receiver as RFC 5424 over UDP. The commit thread only offers
/// notes to a bounded queue and never waits: when the queue is full the note is dropped from forwarding (it is
/// stored all the same) and counted. A task of its own, with a socket of its own, formats and sends.
/// </summary>
internal sealed class SyslogForwarder : ICommitListener
{
    private readonly ForwardTarget _target;
    private readonly IPEndPoint _endPoint;
    private readonly ILogger _logger;
    private readonly Channel<CommittedNote> _queue;
    private Socket? _socket;
    private long _sent, _dropped, _failed;
    private Task _running = Task.CompletedTask;

    /// <summary>Resolves the host now, so a bad target stops the server at start rather than losing every note later.</summary>
    public SyslogForwarder(ForwardTarget target, int queueLength, ILogger logger)
    {
        _target = target;
        _logger = logger;
        IPAddress address;
        try
        {
            address = IPAddress.TryParse(target.Host, out var ip) ? ip : Dns.GetHostAddresses(target.Host).First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
        {
            throw new IOException($"cannot forward to {target}: the host does not resolve", e);
        }
        _endPoint = new IPEndPoint(address, target.Port);
        _queue = Channel.CreateBounded<CommittedNote>(new BoundedChannelOptions(queueLength)
        { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ForwardTarget Target => _target;
    public IPEndPoint EndPoint => _endPoint;
    public long Sent => Volatile.Read(ref _sent);
    public long Dropped => Volatile.Read(ref _dropped);
    public long Failed => Volatile.Read(ref _failed);

    public void Start()
    {
        _socket = new Socket(_endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _running = Task.Run(() => RunAsync(_socket));
    }

    /// <summary>Commit thread only. Never blocks: a full queue drops the copy (the note itself is already stored).</summary>
    public void Offer(in CommittedNote note)
    {
        if (!_queue.Writer.TryWrite(note)) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Offers each note in turn (<see cref="Offer"/>).</summary>
    public void OnCommitted(ReadOnlySpan<CommittedNote> notes)
    {
        foreach (ref readonly var note in notes) Offer(note);
    }

    private async Task RunAsync(Socket socket)
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var note)) Send(socket, note);
        }
    }

    private void Send(Socket socket, in CommittedNote note)
    {
        try
        {
            socket.SendTo(Rfc5424Writer.Format(note.ToNote()), _endPoint);
            Interlocked.Increment(ref _sent);
        }
        catch (SocketException e)
        {
            // UDP has no delivery anyway; a failed send is counted and logged now and then, never retried.
            var failed = Interlocked.Increment(ref _failed);
            if (failed <= 5 || failed % 10_000 == 0) ServerLog.ForwardFailed(_logger, _target.ToString(), failed, e.Message);
        }
    }

    /// <summary>Sends what is queued, then closes the socket. Called after the commit thread has ended.</summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _running.ConfigureAwait(false);
        _socket?.Dispose();
    }

    public override string ToString() => $"{_target} sent={Sent} dropped={Dropped} failed={Failed}";
}
