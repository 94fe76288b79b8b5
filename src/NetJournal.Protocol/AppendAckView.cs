namespace NetJournal.Protocol;

/// <summary>
/// An AppendAck read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it),
/// without allocation. The results are read from the datagram as they are enumerated.
/// </summary>
public readonly ref struct AppendAckView
{
    private readonly ReadOnlySpan<byte> _results;

    private AppendAckView(ulong instance, ulong firstNumber, int resultCount, ReadOnlySpan<byte> results)
    {
        Instance = instance;
        FirstNumber = firstNumber;
        ResultCount = resultCount;
        _results = results;
    }

    public ulong Instance { get; }
    public ulong FirstNumber { get; }

    /// <summary>How many results follow, one per note of the request, in its order.</summary>
    public int ResultCount { get; }

    /// <summary>Reads a whole datagram that holds an AppendAck; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out AppendAckView view)
    {
        var discard = default(DiscardItems<NoteResult>);
        return TryRead(datagram, ref discard, out view);
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out AppendAckView)"/>, handing each result to <paramref name="results"/> as it is validated.</summary>
    internal static bool TryRead<TSink>(ReadOnlySpan<byte> datagram, scoped ref TSink results, out AppendAckView view)
        where TSink : struct, IItemSink<NoteResult>
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.AppendAck) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt64(out var instance) || !r.TryReadVarUInt(out var first) || !r.TryReadByte(out var count))
            return false;
        var resultsStart = r.Position;
        results.Start(count);
        for (var i = 0; i < count; i++)
        {
            if (!TryReadResult(ref r, out var result)) return false;
            results.Add(result);
        }
        // Trailing bytes are refused too: a message has exactly one encoding.
        if (r.Remaining != 0) return false;
        view = new AppendAckView(instance, first, count, datagram[resultsStart..]);
        return true;
    }

    /// <summary>One result: a status byte, then the seq (stored, duplicate), the error code (rejected) or nothing (deferred, held).</summary>
    private static bool TryReadResult(ref WireReader r, out NoteResult result)
    {
        result = default;
        if (!r.TryReadByte(out var status)) return false;
        switch ((NoteStatus)status)
        {
            case NoteStatus.Stored or NoteStatus.Duplicate:
                if (!r.TryReadVarUInt(out var seq)) return false;
                result = new NoteResult((NoteStatus)status, seq, ErrorCode.None);
                return true;
            case NoteStatus.Rejected:
                if (!r.TryReadByte(out var error)) return false;
                result = NoteResult.Rejected((ErrorCode)error);
                return true;
            case NoteStatus.Deferred:
                result = NoteResult.Deferred;
                return true;
            case NoteStatus.Held:
                result = NoteResult.Held;
                return true;
            default:
                return false;
        }
    }

    public ResultEnumerator GetEnumerator() => new(_results, ResultCount);

    /// <summary>The results in order.</summary>
    public ref struct ResultEnumerator(ReadOnlySpan<byte> results, int count)
    {
        private readonly ReadOnlySpan<byte> _results = results;
        private int _position;
        private int _left = count;

        public NoteResult Current { get; private set; }

        public bool MoveNext()
        {
            if (_left == 0) return false;
            // Already validated by TryRead. A reader per step, like AppendRequestView's, keeps the loop in registers.
            var r = new WireReader(_results, _position);
            TryReadResult(ref r, out var result);
            Current = result;
            _position = r.Position;
            _left--;
            return true;
        }
    }
}
