using System.Diagnostics;
using System.Threading.Channels;

namespace NetJournal.Client;

/// <summary>
/// An <see cref="IDatagramTransport"/> over several servers that share one journal (front ends over PostgreSQL): it
/// sends to one at a time and moves on to the next when that one's port is reported closed, or when it has said
/// nothing for <see cref="SwitchAfter"/> while datagrams went to it. It hears all of them, so a late answer from the
/// one it left still counts. The client above it keeps its instance and note numbers, so a note retried through the
/// next server is stored once (the servers deduplicate in the shared store). Each server's path is a transport of its
/// own (a plain UDP socket, or a wrapper such as one that seals datagrams).
/// </summary>
public sealed class FailoverDatagramTransport : IDatagramTransport
{
    private readonly IDatagramTransport[] _paths;
    private readonly Channel<(byte[] Buffer, int Length, int Path, DatagramStatus Status)> _received =
        Channel.CreateBounded<(byte[], int, int, DatagramStatus)>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _readers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long[] _refused;
    private readonly Lock _gate = new();
    private int _current;
    private long _waitingSinceTicks = -1;
    private long _switches;

    /// <summary>Sends through <paramref name="paths"/>[0] first; owns the paths and disposes them with itself.</summary>
    /// <exception cref="ArgumentException">No path given.</exception>
    public FailoverDatagramTransport(IReadOnlyList<IDatagramTransport> paths, TimeSpan? switchAfter = null)
    {
        if (paths.Count == 0) throw new ArgumentException("at least one server is needed", nameof(paths));
        _paths = [.. paths];
        _refused = new long[_paths.Length];
        SwitchAfter = switchAfter ?? DefaultSwitchAfter;
        _readers = new Task[_paths.Length];
        // One reader per path, each on a thread of its own: a UDP path waits synchronously (UdpDatagramTransport.ReceiveAsync).
        for (var i = 0; i < _paths.Length; i++)
        {
            var path = i;
            _readers[i] = Task.Factory.StartNew(() => ReadAsync(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>How long the server in use may stay silent while datagrams go to it before the next one is tried.</summary>
    public static readonly TimeSpan DefaultSwitchAfter = TimeSpan.FromSeconds(1);

    /// <inheritdoc cref="DefaultSwitchAfter"/>
    public TimeSpan SwitchAfter { get; }

    /// <summary>The index of the server datagrams go to now.</summary>
    public int Current => Volatile.Read(ref _current);

    /// <summary>How many times the transport moved on to the next server.</summary>
    public long Switches => Interlocked.Read(ref _switches);

    /// <summary>Raised (on any thread) with the index of the server it moved on to.</summary>
    public event Action<int>? Switched;

    /// <inheritdoc/>
    /// <remarks>
    /// Unreachable only when every server's port was reported closed since it last answered; a closed port on one of
    /// them moves on to the next and sends there at once.
    /// </remarks>
    public DatagramStatus Send(ReadOnlySpan<byte> datagram)
    {
        var now = _clock.Elapsed.Ticks;
        int path;
        lock (_gate)
        {
            if (_waitingSinceTicks < 0) _waitingSinceTicks = now;
            else if (now - _waitingSinceTicks > SwitchAfter.Ticks) MoveOn(_current, now);
            path = _current;
        }
        for (var tried = 0; tried < _paths.Length; tried++)
        {
            var status = _paths[path].Send(datagram);
            if (status != DatagramStatus.Unreachable) return status;
            Interlocked.Exchange(ref _refused[path], 1);
            lock (_gate) path = MoveOn(path, now);
        }
        return AllRefused() ? DatagramStatus.Unreachable : DatagramStatus.Lost;
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            (byte[] data, int length, int path, DatagramStatus status) item;
            try
            {
                item = await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException e)
            {
                throw new ObjectDisposedException(nameof(FailoverDatagramTransport), e);
            }
            var (data, length, path, status) = item;
            if (status == DatagramStatus.Unreachable)
            {
                Interlocked.Exchange(ref _refused[path], 1);
                lock (_gate)
                    if (path == _current) MoveOn(path, _clock.Elapsed.Ticks);
                if (AllRefused()) return DatagramReceiveResult.Unreachable;
                continue;
            }
            Interlocked.Exchange(ref _refused[path], 0);
            lock (_gate)
                if (path == _current) _waitingSinceTicks = -1;
            data.AsSpan(0, length).CopyTo(buffer.Span);
            System.Buffers.ArrayPool<byte>.Shared.Return(data);
            return DatagramReceiveResult.Received(length);
        }
    }

    private bool AllRefused()
    {
        foreach (ref var refused in _refused.AsSpan())
            if (Volatile.Read(ref refused) == 0) return false;
        return true;
    }

    /// <summary>Moves from <paramref name="from"/> to the next server, unless another thread did already. Under the gate.</summary>
    private int MoveOn(int from, long now)
    {
        if (from != _current) return _current;
        _current = (from + 1) % _paths.Length;
        _waitingSinceTicks = now;
        Interlocked.Increment(ref _switches);
        Switched?.Invoke(_current);
        return _current;
    }

    private async Task ReadAsync(int path)
    {
        var buffer = new byte[Protocol.ProtocolConstants.MaxDatagram + 1];
        try
        {
            while (true)
            {
                var result = await _paths[path].ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                var copy = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(1, result.Length));
                buffer.AsSpan(0, result.Length).CopyTo(copy);
                await _received.Writer.WriteAsync((copy, result.Length, path, result.Status), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var path in _paths) await path.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_readers).ConfigureAwait(false);
        _received.Writer.TryComplete();
        _stop.Dispose();
    }
}
