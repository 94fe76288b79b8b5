using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NetJournal.Protocol;

/// <summary>Encodes and decodes every NetJournal message. Pure: no sockets, no clocks.</summary>
public static class MessageCodec
{
    public static byte[] Encode(JournalMessage message)
    {
        var buffer = new byte[GetMaxSize(message)];
        var length = Encode(message, buffer);
        return length == buffer.Length ? buffer : buffer[..length];
    }

    /// <summary>Writes the message into <paramref name="destination"/> and returns its length.</summary>
    public static int Encode(JournalMessage message, Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteHeader(message.Type, message is AppendRequest request ? request.Flags : HeaderFlags.None);
        switch (message)
        {
            case AppendRequest m:
                if (m.Notes.Count is 0 or > ProtocolConstants.MaxNotesPerAppend)
                    throw new ArgumentException("an append carries 1 to 255 notes", nameof(message));
                WriteAppendRequestFields(ref w, m.Instance, m.Base, m.FirstNumber, m.Name, m.Notes.Count);
                foreach (var note in m.Notes) w.WriteBytes(note.Span);
                break;
            case AppendAck m:
                WriteAppendAckBody(ref w, m.Instance, m.FirstNumber, m.Results as NoteResult[] ?? [.. m.Results]);
                break;
            case HistoryRequest m:
                w.WriteUInt32(m.RequestId);
                w.WriteBytes(m.Token.Span);
                w.WriteVarUInt(m.AfterSeq);
                w.WriteVarUInt(m.UntilSeq);
                w.WriteUInt16(m.MaxReply);
                WriteFilter(ref w, m.Filter);
                break;
            case HistoryPage m:
                var at = WriteHistoryPageHeader(destination, m.RequestId, m.NextAfterSeq, m.Complete, m.Notes.Count);
                foreach (var note in m.Notes) at += NoteWireFormat.Write(note, destination[at..]);
                return at;
            case CountRequest m:
                w.WriteUInt32(m.RequestId);
                w.WriteBytes(m.Token.Span);
                w.WriteVarUInt(m.LastN);
                WriteFilter(ref w, m.Filter);
                break;
            case CountReply m:
                w.WriteUInt32(m.RequestId);
                w.WriteVarUInt(m.Matched);
                w.WriteVarUInt(m.StartAfterSeq);
                w.WriteVarUInt(m.EndSeq);
                w.WriteVarUInt(m.TotalNotes);
                break;
            case ClientsRequest m:
                w.WriteUInt32(m.RequestId);
                w.WriteBytes(m.Token.Span);
                w.WriteVarUInt(m.AfterIndex);
                w.WriteUInt16(m.MaxReply);
                break;
            case ClientsPage m:
                w.WriteUInt32(m.RequestId);
                w.WriteUInt64(m.NextIndex);
                w.WriteByte(m.Complete ? (byte)1 : (byte)0);
                w.WriteUInt16((ushort)m.Clients.Count);
                foreach (var c in m.Clients) WriteClient(ref w, c);
                break;
            case ErrorReply m:
                w.WriteUInt32(m.RequestId);
                w.WriteByte((byte)m.Code);
                w.WriteString(m.Detail);
                break;
            case RetryChallenge m:
                w.WriteUInt32(m.RequestId);
                w.WriteBytes(m.Token.Span);
                break;
            case FollowRequest m:
                w.WriteUInt32(m.RequestId);
                w.WriteBytes(m.Token.Span);
                w.WriteUInt64(m.Subscription);
                w.WriteVarUInt(m.AfterSeq);
                w.WriteUInt16(m.MaxReply);
                WriteFilter(ref w, m.Filter);
                break;
            case Notify m:
                var start = WriteNotifyHeader(destination, m.RequestId, m.Subscription, m.Epoch, m.AfterSeq, m.UntilSeq, m.LeaseMs, m.Notes.Count);
                foreach (var note in m.Notes) start += NoteWireFormat.Write(note, destination[start..]);
                return start;
            default:
                throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message));
        }
        return w.Position;
    }

    /// <summary>
    /// The fields of a HistoryPage before its notes (<see cref="PageOverhead"/> bytes), for a page whose
    /// <paramref name="noteCount"/> notes are already encoded and follow: the same bytes Encode writes for it.
    /// </summary>
    public static int WriteHistoryPageHeader(Span<byte> destination, uint requestId, ulong nextAfterSeq, bool complete, int noteCount)
    {
        var w = new WireWriter(destination);
        w.WriteHeader(MessageType.HistoryPage);
        w.WriteUInt32(requestId);
        w.WriteUInt64(nextAfterSeq);
        w.WriteByte(complete ? (byte)1 : (byte)0);
        w.WriteUInt16((ushort)noteCount);
        return w.Position;
    }

    /// <summary>
    /// The fields of a Notify before its notes (at most <see cref="NotifyOverhead"/> bytes), for a push whose
    /// <paramref name="noteCount"/> notes are already in wire form and follow: the same bytes Encode writes for it.
    /// </summary>
    public static int WriteNotifyHeader(Span<byte> destination, uint requestId, ulong subscription, ulong epoch, ulong afterSeq, ulong untilSeq, uint leaseMs, int noteCount)
    {
        var w = new WireWriter(destination);
        w.WriteHeader(MessageType.Notify);
        w.WriteUInt32(requestId);
        w.WriteUInt64(subscription);
        w.WriteUInt64(epoch);
        w.WriteVarUInt(afterSeq);
        w.WriteVarUInt(untilSeq);
        w.WriteVarUInt(leaseMs);
        w.WriteUInt16((ushort)noteCount);
        return w.Position;
    }

    /// <summary>The most bytes a Notify's fields before its notes take: header, ids, two 10-byte seqs, a 5-byte lease, the count.</summary>
    public const int NotifyOverhead = ProtocolConstants.HeaderSize + 4 + 8 + 8 + 10 + 10 + 5 + 2;

    /// <summary>
    /// An AppendAck written straight from its parts, as <see cref="Encode(JournalMessage, Span{byte})"/> writes
    /// <c>new AppendAck(instance, firstNumber, results)</c>: the server acknowledges every append without making one.
    /// </summary>
    public static int EncodeAppendAck(ulong instance, ulong firstNumber, ReadOnlySpan<NoteResult> results, Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteHeader(MessageType.AppendAck);
        WriteAppendAckBody(ref w, instance, firstNumber, results);
        return w.Position;
    }

    /// <summary>
    /// The part of an AppendRequest before its notes (header, instance, base, first number, name, note count), as
    /// <see cref="Encode(JournalMessage, Span{byte})"/> writes it; the notes follow, each as
    /// <see cref="AppendRequest.WriteNote"/> writes it. Lets a client pack notes first and put the fields in front
    /// later (with a fresh Base on a resend) without building an <see cref="AppendRequest"/>. Returns the length written.
    /// </summary>
    /// <param name="flags">The header's flags byte: <see cref="HeaderFlags.None"/>, or <see cref="HeaderFlags.AcceptsHeld"/> (§2).</param>
    public static int EncodeAppendRequestHead(ulong instance, ulong @base, ulong firstNumber, string name, int noteCount, Span<byte> destination, HeaderFlags flags = HeaderFlags.None)
    {
        if (noteCount is <= 0 or > ProtocolConstants.MaxNotesPerAppend)
            throw new ArgumentOutOfRangeException(nameof(noteCount), "an append carries 1 to 255 notes");
        var w = new WireWriter(destination);
        w.WriteHeader(MessageType.AppendRequest, flags);
        WriteAppendRequestFields(ref w, instance, @base, firstNumber, name, noteCount);
        return w.Position;
    }

    private static void WriteAppendRequestFields(ref WireWriter w, ulong instance, ulong @base, ulong firstNumber, string name, int noteCount)
    {
        w.WriteUInt64(instance);
        w.WriteVarUInt(@base);
        w.WriteVarUInt(firstNumber);
        w.WriteString(name);
        w.WriteByte((byte)noteCount);
    }

    private static void WriteAppendAckBody(ref WireWriter w, ulong instance, ulong firstNumber, ReadOnlySpan<NoteResult> results)
    {
        w.WriteUInt64(instance);
        w.WriteVarUInt(firstNumber);
        w.WriteByte((byte)results.Length);
        foreach (var r in results)
        {
            w.WriteByte((byte)r.Status);
            if (r.Status == NoteStatus.Rejected) w.WriteByte((byte)r.Error);
            else if (r.Status is NoteStatus.Stored or NoteStatus.Duplicate) w.WriteVarUInt(r.Seq);
        }
    }

    /// <summary>An upper bound of the encoded size (strings counted at 3 bytes a UTF-16 unit).</summary>
    public static int GetMaxSize(JournalMessage message) => message switch
    {
        AppendRequest m => 64 + m.Name.Length * 3 + m.Notes.Sum(n => n.Length + 10),
        AppendAck m => 64 + m.Results.Count * 11,
        HistoryPage m => 64 + m.Notes.Sum(NoteMaxSize),
        Notify m => NotifyOverhead + m.Notes.Sum(NoteMaxSize),
        ClientsPage m => 64 + m.Clients.Sum(c => 64 + (c.Name.Length + c.LastAddress.Length) * 3),
        ErrorReply m => 64 + m.Detail.Length * 3,
        HistoryRequest or CountRequest or FollowRequest => 128 + 5 * ProtocolConstants.MaxFilterBytes + ProtocolConstants.MaxTokenBytes,
        _ => 128 + ProtocolConstants.MaxTokenBytes,
    };

    private static int NoteMaxSize(Note n) => 48 + (n.Client.Length + n.Address.Length + n.Text.Length) * 3;

    /// <summary>Exact bytes a note takes inside a history page.</summary>
    public static int NoteSize(Note note) => NoteWireFormat.Size(note);

    /// <summary>Exact bytes a client summary takes inside a clients page.</summary>
    public static int ClientSize(ClientSummary c) =>
        WireWriter.StringSize(c.Name) + WireWriter.StringSize(c.LastAddress) + WireWriter.VarUIntSize(c.NoteCount)
        + WireWriter.VarInt64Size(c.FirstMs) + WireWriter.VarInt64Size(c.LastMs);

    /// <summary>Header and fixed fields of a history or clients page.</summary>
    public const int PageOverhead = ProtocolConstants.HeaderSize + 4 + 8 + 1 + 2;

    private static void WriteFilter(ref WireWriter w, HistoryFilter f)
    {
        byte present = 0;
        if (f.Client is not null) present |= 1;
        if (f.Address is not null) present |= 2;
        if (f.SinceMs is not null) present |= 4;
        if (f.UntilMs is not null) present |= 8;
        if (f.Grep is not null) present |= 16;
        w.WriteByte(present);
        if (f.Client is not null) w.WriteString(f.Client);
        if (f.Address is not null) w.WriteString(f.Address);
        if (f.SinceMs is { } since) w.WriteVarInt64(since);
        if (f.UntilMs is { } until) w.WriteVarInt64(until);
        if (f.Grep is not null) w.WriteString(f.Grep);
    }

    private static void WriteClient(ref WireWriter w, ClientSummary c)
    {
        w.WriteString(c.Name);
        w.WriteString(c.LastAddress);
        w.WriteVarUInt(c.NoteCount);
        w.WriteVarInt64(c.FirstMs);
        w.WriteVarInt64(c.LastMs);
    }

    /// <summary>Reads the header only: cheap triage of a datagram before any decoding (<see cref="DatagramHeader.Read"/>).</summary>
    public static DecodeStatus ReadHeader(ReadOnlySpan<byte> datagram, out MessageType type)
    {
        var status = DatagramHeader.Read(datagram, out var header);
        type = header.Type;
        return status;
    }

    /// <summary>Decodes a datagram. Never throws: anything it cannot read is reported, not raised.</summary>
    /// <remarks>
    /// The body is read and validated by the type's view (<see cref="AppendRequestView"/>, <see cref="HistoryPageView"/>, ...),
    /// the one parser of each message; this only materialises what the view accepted. Tokens and note bodies stay slices of the datagram.
    /// </remarks>
    public static DecodeStatus TryDecode(ReadOnlyMemory<byte> datagram, out JournalMessage? message)
    {
        message = null;
        var status = DatagramHeader.Read(datagram.Span, out var header);
        return status == DecodeStatus.Ok ? TryDecode(datagram, header, out message) : status;
    }

    /// <summary>
    /// Decodes the body of a datagram whose header was already read and found Ok by <see cref="DatagramHeader.Read"/>,
    /// so a caller that triaged the header does not read it twice. Never throws.
    /// </summary>
    public static DecodeStatus TryDecode(ReadOnlyMemory<byte> datagram, DatagramHeader header, out JournalMessage? message)
    {
        message = header.Type switch
        {
            MessageType.AppendRequest => ReadAppendRequest(datagram),
            MessageType.AppendAck => ReadAppendAck(datagram.Span),
            MessageType.HistoryRequest => ReadHistoryRequest(datagram),
            MessageType.HistoryPage => ReadHistoryPage(datagram.Span),
            MessageType.CountRequest => ReadCountRequest(datagram),
            MessageType.CountReply => ReadCountReply(datagram.Span),
            MessageType.ClientsRequest => ReadClientsRequest(datagram),
            MessageType.ClientsPage => ReadClientsPage(datagram.Span),
            MessageType.ErrorReply => ReadErrorReply(datagram.Span),
            MessageType.RetryChallenge => ReadRetryChallenge(datagram),
            MessageType.Follow => ReadFollowRequest(datagram),
            MessageType.Notify => ReadNotify(datagram.Span),
            _ => null,
        };
        return message is null ? DecodeStatus.Malformed : DecodeStatus.Ok;
    }

    /// <summary>
    /// A span a view read from <paramref name="datagram"/>, as the same bytes of it: decoded messages keep slices, not copies.
    /// The offset is taken from the span's reference, which is exact for empty spans too.
    /// </summary>
    private static ReadOnlyMemory<byte> SliceOf(ReadOnlyMemory<byte> datagram, ReadOnlySpan<byte> part) =>
        datagram.Slice((int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(datagram.Span), ref MemoryMarshal.GetReference(part)), part.Length);

    private static AppendRequest? ReadAppendRequest(ReadOnlyMemory<byte> datagram)
    {
        if (!AppendRequestView.TryRead(datagram.Span, out var view)) return null;
        var notes = new ReadOnlyMemory<byte>[view.NoteCount];
        var i = 0;
        foreach (var note in view) notes[i++] = SliceOf(datagram, note);
        return new AppendRequest(view.Instance, view.Base, view.FirstNumber, Encoding.UTF8.GetString(view.Name), notes) { AcceptsHeld = view.AcceptsHeld };
    }

    private static AppendAck? ReadAppendAck(ReadOnlySpan<byte> datagram)
    {
        var results = new ResultList();
        return AppendAckView.TryRead(datagram, ref results, out var view) ? new AppendAck(view.Instance, view.FirstNumber, results.Items) : null;
    }

    private static HistoryRequest? ReadHistoryRequest(ReadOnlyMemory<byte> datagram) =>
        HistoryRequestView.TryRead(datagram.Span, out var v)
            ? new HistoryRequest(v.RequestId, SliceOf(datagram, v.Token), v.AfterSeq, v.UntilSeq, v.MaxReply, v.Filter.ToFilter())
            : null;

    private static HistoryPage? ReadHistoryPage(ReadOnlySpan<byte> datagram)
    {
        var notes = new NoteList();
        return HistoryPageView.TryRead(datagram, ref notes, out var view) ? new HistoryPage(view.RequestId, view.NextAfterSeq, view.Complete, notes.Items) : null;
    }

    private static CountRequest? ReadCountRequest(ReadOnlyMemory<byte> datagram) =>
        CountRequestView.TryRead(datagram.Span, out var v)
            ? new CountRequest(v.RequestId, SliceOf(datagram, v.Token), v.LastN, v.Filter.ToFilter())
            : null;

    private static CountReply? ReadCountReply(ReadOnlySpan<byte> datagram) =>
        CountReplyView.TryRead(datagram, out var v) ? new CountReply(v.RequestId, v.Matched, v.StartAfterSeq, v.EndSeq, v.TotalNotes) : null;

    private static ClientsRequest? ReadClientsRequest(ReadOnlyMemory<byte> datagram) =>
        ClientsRequestView.TryRead(datagram.Span, out var v)
            ? new ClientsRequest(v.RequestId, SliceOf(datagram, v.Token), v.AfterIndex, v.MaxReply)
            : null;

    private static ClientsPage? ReadClientsPage(ReadOnlySpan<byte> datagram)
    {
        var clients = new ClientList();
        return ClientsPageView.TryRead(datagram, ref clients, out var view) ? new ClientsPage(view.RequestId, view.NextIndex, view.Complete, clients.Items) : null;
    }

    private static ErrorReply? ReadErrorReply(ReadOnlySpan<byte> datagram) =>
        ErrorReplyView.TryRead(datagram, out var v) ? new ErrorReply(v.RequestId, v.Code, Encoding.UTF8.GetString(v.Detail)) : null;

    private static RetryChallenge? ReadRetryChallenge(ReadOnlyMemory<byte> datagram) =>
        RetryChallengeView.TryRead(datagram.Span, out var v) ? new RetryChallenge(v.RequestId, SliceOf(datagram, v.Token)) : null;

    private static FollowRequest? ReadFollowRequest(ReadOnlyMemory<byte> datagram) =>
        FollowRequestView.TryRead(datagram.Span, out var v)
            ? new FollowRequest(v.RequestId, SliceOf(datagram, v.Token), v.Subscription, v.AfterSeq, v.MaxReply, v.Filter.ToFilter())
            : null;

    private static Notify? ReadNotify(ReadOnlySpan<byte> datagram)
    {
        var notes = new NoteList();
        return NotifyView.TryRead(datagram, ref notes, out var v)
            ? new Notify(v.RequestId, v.Subscription, v.Epoch, v.AfterSeq, v.UntilSeq, v.LeaseMs, notes.Items)
            : null;
    }

    /// <summary>An AppendAck's results, collected as its view validates them.</summary>
    private struct ResultList : IItemSink<NoteResult>
    {
        private int _count;

        public NoteResult[] Items { get; private set; }

        public void Start(int count) => Items = new NoteResult[count];

        public void Add(NoteResult item) => Items[_count++] = item;
    }

    /// <summary>
    /// A HistoryPage's notes, materialised as its view validates them. A page's notes mostly come from a few
    /// clients: notes from the same client and address share their strings.
    /// </summary>
    private struct NoteList : IItemSink<NoteView>
    {
        private int _count;
        private Utf8StringCache? _strings;

        public Note[] Items { get; private set; }

        public void Start(int count) => Items = new Note[count];

        public void Add(NoteView item) => Items[_count++] = item.ToNote(_strings ??= new Utf8StringCache());
    }

    /// <summary>A ClientsPage's clients, materialised as its view validates them.</summary>
    private struct ClientList : IItemSink<ClientSummaryView>
    {
        private int _count;

        public ClientSummary[] Items { get; private set; }

        public void Start(int count) => Items = new ClientSummary[count];

        public void Add(ClientSummaryView item) => Items[_count++] = item.ToSummary();
    }
}
