namespace NetJournal.Protocol;

/// <summary>
/// A ClientsPage read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The clients are read from the datagram as they are enumerated.
/// </summary>
public readonly ref struct ClientsPageView
{
    /// <summary>The smallest client: two empty strings and three one-byte numbers.</summary>
    private const int MinClientBytes = 5;

    private readonly ReadOnlySpan<byte> _clients;

    private ClientsPageView(uint requestId, ulong nextIndex, bool complete, int clientCount, ReadOnlySpan<byte> clients)
    {
        RequestId = requestId;
        NextIndex = nextIndex;
        Complete = complete;
        ClientCount = clientCount;
        _clients = clients;
    }

    public uint RequestId { get; }

    /// <summary>The index to ask from next.</summary>
    public ulong NextIndex { get; }

    /// <summary>No client is left after this page.</summary>
    public bool Complete { get; }

    public int ClientCount { get; }

    /// <summary>Reads a whole datagram that holds a ClientsPage; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out ClientsPageView view)
    {
        var discard = default(DiscardItems<ClientSummaryView>);
        return TryRead(datagram, ref discard, out view);
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out ClientsPageView)"/>, handing each client to <paramref name="clients"/> as it is validated.</summary>
    internal static bool TryRead<TSink>(ReadOnlySpan<byte> datagram, scoped ref TSink clients, out ClientsPageView view)
        where TSink : struct, IItemSink<ClientSummaryView>
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.ClientsPage) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadUInt64(out var next) || !r.TryReadByte(out var flags) || flags > 1
            || !r.TryReadUInt16(out var count))
            return false;
        // A count beyond what the bytes left can hold is a lie, refused before reading on.
        if (count > r.Remaining / MinClientBytes) return false;
        var clientsStart = r.Position;
        clients.Start(count);
        for (var i = 0; i < count; i++)
        {
            if (!ClientSummaryView.TryRead(ref r, validate: true, out var client)) return false;
            clients.Add(client);
        }
        if (r.Remaining != 0) return false;
        view = new ClientsPageView(id, next, flags == 1, count, datagram[clientsStart..]);
        return true;
    }

    public ClientEnumerator GetEnumerator() => new(_clients, ClientCount);

    /// <summary>The clients in order, each a view over the datagram.</summary>
    public ref struct ClientEnumerator(ReadOnlySpan<byte> clients, int count)
    {
        private readonly ReadOnlySpan<byte> _clients = clients;
        private int _position;
        private int _left = count;

        public ClientSummaryView Current { get; private set; }

        public bool MoveNext()
        {
            if (_left == 0) return false;
            // Already validated by TryRead. A reader per step, like AppendRequestView's, keeps the loop in registers.
            var r = new WireReader(_clients, _position);
            ClientSummaryView.TryRead(ref r, validate: false, out var client);
            Current = client;
            _position = r.Position;
            _left--;
            return true;
        }
    }
}
