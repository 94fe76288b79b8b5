namespace NetJournal.Protocol;

/// <summary>
/// A Notify read in place: the validation of <see cref="MessageCodec.TryDecode"/> (which is built on it), without
/// allocation. Its notes are in <see cref="NoteWireFormat"/>, as a history page's, read as they are enumerated.
/// </summary>
public readonly ref struct NotifyView
{
    private readonly ReadOnlySpan<byte> _notes;

    private NotifyView(uint requestId, ulong subscription, ulong epoch, ulong afterSeq, ulong untilSeq, uint leaseMs, int noteCount, ReadOnlySpan<byte> notes)
    {
        RequestId = requestId;
        Subscription = subscription;
        Epoch = epoch;
        AfterSeq = afterSeq;
        UntilSeq = untilSeq;
        LeaseMs = leaseMs;
        NoteCount = noteCount;
        _notes = notes;
    }

    /// <summary>The Follow this answers, or 0 for a push.</summary>
    public uint RequestId { get; }

    public ulong Subscription { get; }

    /// <summary>Random per server start.</summary>
    public ulong Epoch { get; }

    /// <summary>The notes carried are every matching note with AfterSeq &lt; seq &lt;= UntilSeq.</summary>
    public ulong AfterSeq { get; }

    public ulong UntilSeq { get; }

    /// <summary>How long the follow lasts without renewal, in milliseconds.</summary>
    public uint LeaseMs { get; }

    public int NoteCount { get; }

    /// <summary>Reads a whole datagram that holds a Notify; false if it is anything else or malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out NotifyView view)
    {
        var discard = default(DiscardItems<NoteView>);
        return TryRead(datagram, ref discard, out view);
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out NotifyView)"/>, handing each note to <paramref name="notes"/> as it is validated.</summary>
    /// <remarks>
    /// Malformed besides the usual: UntilSeq below AfterSeq, a LeaseMs over 2^32 − 1, a note whose seq is not above
    /// AfterSeq and the note before it or is above UntilSeq, and a Count over (bytes left) / 6.
    /// </remarks>
    internal static bool TryRead<TSink>(ReadOnlySpan<byte> datagram, scoped ref TSink notes, out NotifyView view)
        where TSink : struct, IItemSink<NoteView>
    {
        view = default;
        if (MessageCodec.ReadHeader(datagram, out var type) != DecodeStatus.Ok || type != MessageType.Notify) return false;
        var r = new WireReader(datagram, ProtocolConstants.HeaderSize);
        if (!r.TryReadUInt32(out var id) || !r.TryReadUInt64(out var subscription) || !r.TryReadUInt64(out var epoch)
            || !r.TryReadVarUInt(out var after) || !r.TryReadVarUInt(out var until) || until < after
            || !r.TryReadVarUInt(out var lease) || lease > uint.MaxValue || !r.TryReadUInt16(out var count))
            return false;
        if (count > r.Remaining / NoteWireFormat.MinSize) return false;
        var notesStart = r.Position;
        notes.Start(count);
        var previous = after;
        for (var i = 0; i < count; i++)
        {
            if (!NoteView.TryRead(ref r, validate: true, out var note) || note.Seq <= previous || note.Seq > until) return false;
            previous = note.Seq;
            notes.Add(note);
        }
        if (r.Remaining != 0) return false;
        view = new NotifyView(id, subscription, epoch, after, until, (uint)lease, count, datagram[notesStart..]);
        return true;
    }

    public HistoryPageView.NoteEnumerator GetEnumerator() => new(_notes, NoteCount);
}
