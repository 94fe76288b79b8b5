using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Bench.Infra;

/// <summary>
/// Round trips to a server without the client library: one blocking socket, one request at a time. An append
/// (one note, its own instance) shows the server's commit path; a count shows the server's round trip with no
/// fsync in it. Beside the library's figure they tell where an interactive note's time goes.
/// </summary>
internal sealed class ServerProbe : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _reply = new byte[ProtocolConstants.MaxDatagram + 1];
    private readonly ulong _instance = (ulong)Random.Shared.NextInt64() | 1;
    private ulong _number;
    private uint _requestId;
    private AppendAck? _lastAck;

    public ServerProbe(IPEndPoint server)
    {
        _socket.Connect(server);
        _socket.ReceiveTimeout = 2000;
    }

    /// <summary>Lost requests (no answer within 2 s); they are not retried and not in the figures.</summary>
    public int Lost { get; private set; }

    /// <summary>Notes whose acknowledgement said stored.</summary>
    public long Stored { get; private set; }

    /// <summary>Milliseconds from sending one note to its acknowledgement, or null when none came.</summary>
    public double? AppendMs(string text)
    {
        var number = ++_number;
        var request = MessageCodec.Encode(new AppendRequest(_instance, number, number, "probe", [Encoding.UTF8.GetBytes(text)]));
        var ms = RoundTrip(request, m => m is AppendAck ack && ack.Instance == _instance && ack.FirstNumber == number);
        if (ms is not null && _lastAck is { Results: [{ Status: NoteStatus.Stored }] }) Stored++;
        return ms;
    }

    /// <summary>Milliseconds for a count of the whole journal, or null when no answer came.</summary>
    public double? CountMs()
    {
        var id = ++_requestId;
        var request = MessageCodec.Encode(new CountRequest(id, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None));
        return RoundTrip(request, m => m is CountReply reply && reply.RequestId == id);
    }

    private double? RoundTrip(byte[] request, Func<JournalMessage, bool> answers)
    {
        var start = Stopwatch.GetTimestamp();
        _socket.Send(request);
        try
        {
            while (true)
            {
                var n = _socket.Receive(_reply);
                if (MessageCodec.TryDecode(_reply.AsMemory(0, n).ToArray(), out var message) != DecodeStatus.Ok || !answers(message!)) continue;
                _lastAck = message as AppendAck;
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            Lost++;
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();
}
