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
        w.WriteHeader(message.Type);
        switch (message)
        {
            case AppendRequest m:
                if (m.Notes.Count is 0 or > ProtocolConstants.MaxNotesPerAppend)
                    throw new ArgumentException("an append carries 1 to 255 notes", nameof(message));
                w.WriteUInt64(m.Instance);
                w.WriteVarUInt(m.Base);
                w.WriteVarUInt(m.FirstNumber);
                w.WriteString(m.Name);
                w.WriteByte((byte)m.Notes.Count);
                foreach (var note in m.Notes) w.WriteBytes(note.Span);
                break;
            case AppendAck m:
                w.WriteUInt64(m.Instance);
                w.WriteVarUInt(m.FirstNumber);
                w.WriteByte((byte)m.Results.Count);
                foreach (var r in m.Results)
                {
                    w.WriteByte((byte)r.Status);
                    if (r.Status == NoteStatus.Rejected) w.WriteByte((byte)r.Error);
                    else if (r.Status != NoteStatus.Deferred) w.WriteVarUInt(r.Seq);
                }
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
                w.WriteUInt32(m.RequestId);
                w.WriteUInt64(m.NextAfterSeq);
                w.WriteByte(m.Complete ? (byte)1 : (byte)0);
                w.WriteUInt16((ushort)m.Notes.Count);
                foreach (var note in m.Notes) WriteNote(ref w, note);
                break;
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
            default:
                throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message));
        }
        return w.Position;
    }

    /// <summary>An upper bound of the encoded size (strings counted at 3 bytes a UTF-16 unit).</summary>
    public static int GetMaxSize(JournalMessage message) => message switch
    {
        AppendRequest m => 64 + m.Name.Length * 3 + m.Notes.Sum(n => n.Length + 10),
        AppendAck m => 64 + m.Results.Count * 11,
        HistoryPage m => 64 + m.Notes.Sum(NoteMaxSize),
        ClientsPage m => 64 + m.Clients.Sum(c => 64 + (c.Name.Length + c.LastAddress.Length) * 3),
        ErrorReply m => 64 + m.Detail.Length * 3,
        HistoryRequest or CountRequest => 128 + 5 * ProtocolConstants.MaxFilterBytes + ProtocolConstants.MaxTokenBytes,
        _ => 128 + ProtocolConstants.MaxTokenBytes,
    };

    private static int NoteMaxSize(Note n) => 48 + (n.Client.Length + n.Address.Length + n.Text.Length) * 3;

    /// <summary>Exact bytes a note takes inside a history page.</summary>
    public static int NoteSize(Note note) =>
        WireWriter.VarUIntSize(note.Seq) + WireWriter.VarInt64Size(note.TimeMs) + WireWriter.StringSize(note.Client)
        + WireWriter.StringSize(note.Address) + WireWriter.StringSize(note.Text) + 1 + (note.Priority is null ? 0 : 1);

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

    private static void WriteNote(ref WireWriter w, Note n)
    {
        w.WriteVarUInt(n.Seq);
        w.WriteVarInt64(n.TimeMs);
        w.WriteString(n.Client);
        w.WriteString(n.Address);
        w.WriteString(n.Text);
        if (n.Priority is { } pri)
        {
            w.WriteByte((byte)(n.Origin | (NoteOrigin)0x80));
            w.WriteByte(pri);
        }
        else
        {
            w.WriteByte((byte)n.Origin);
        }
    }

    private static void WriteClient(ref WireWriter w, ClientSummary c)
    {
        w.WriteString(c.Name);
        w.WriteString(c.LastAddress);
        w.WriteVarUInt(c.NoteCount);
        w.WriteVarInt64(c.FirstMs);
        w.WriteVarInt64(c.LastMs);
    }

    /// <summary>Reads the header only: cheap triage of a datagram before any decoding.</summary>
    public static DecodeStatus ReadHeader(ReadOnlySpan<byte> datagram, out MessageType type)
    {
        type = 0;
        if (!ProtocolConstants.HasMagic(datagram)) return DecodeStatus.NotNative;
        if (datagram.Length < ProtocolConstants.HeaderSize) return DecodeStatus.Malformed;
        if (datagram[3] != ProtocolConstants.Version) return DecodeStatus.UnsupportedVersion;
        type = (MessageType)datagram[4];
        if (datagram[5] != 0) return DecodeStatus.UnsupportedFlags;
        return type is >= MessageType.AppendRequest and <= MessageType.RetryChallenge ? DecodeStatus.Ok : DecodeStatus.UnknownType;
    }

    /// <summary>Decodes a datagram. Never throws: anything it cannot read is reported, not raised.</summary>
    public static DecodeStatus TryDecode(ReadOnlyMemory<byte> datagram, out JournalMessage? message)
    {
        message = null;
        var status = ReadHeader(datagram.Span, out var type);
        if (status != DecodeStatus.Ok) return status;
        var r = new WireReader(datagram.Span, ProtocolConstants.HeaderSize);
        message = type switch
        {
            MessageType.AppendRequest => ReadAppendRequest(ref r, datagram),
            MessageType.AppendAck => ReadAppendAck(ref r),
            MessageType.HistoryRequest => ReadHistoryRequest(ref r, datagram),
            MessageType.HistoryPage => ReadHistoryPage(ref r),
            MessageType.CountRequest => ReadCountRequest(ref r, datagram),
            MessageType.CountReply => ReadCountReply(ref r),
            MessageType.ClientsRequest => ReadClientsRequest(ref r, datagram),
            MessageType.ClientsPage => ReadClientsPage(ref r),
            MessageType.ErrorReply => ReadErrorReply(ref r),
            MessageType.RetryChallenge => ReadRetryChallenge(ref r, datagram),
            _ => null,
        };
        // Trailing bytes are refused too: a message has exactly one encoding.
        if (message is null || r.Remaining != 0)
        {
            message = null;
            return DecodeStatus.Malformed;
        }
        return DecodeStatus.Ok;
    }

    private static AppendRequest? ReadAppendRequest(ref WireReader r, ReadOnlyMemory<byte> datagram)
    {
        if (!r.TryReadUInt64(out var instance) || !r.TryReadVarUInt(out var @base) || !r.TryReadVarUInt(out var first)
            || !r.TryReadString(ProtocolConstants.MaxNameBytes, out var name) || !r.TryReadByte(out var count) || count == 0)
            return null;
        var notes = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            // Over-long notes are read whole so the server can refuse that note alone with NoteTooLong.
            if (!r.TryReadBytes(ProtocolConstants.MaxDatagram, out var start, out var length)) return null;
            notes[i] = datagram.Slice(start, length);
        }
        return new AppendRequest(instance, @base, first, name, notes);
    }

    private static AppendAck? ReadAppendAck(ref WireReader r)
    {
        if (!r.TryReadUInt64(out var instance) || !r.TryReadVarUInt(out var first) || !r.TryReadByte(out var count))
            return null;
        var results = new NoteResult[count];
        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadByte(out var status)) return null;
            switch ((NoteStatus)status)
            {
                case NoteStatus.Stored or NoteStatus.Duplicate:
                    if (!r.TryReadVarUInt(out var seq)) return null;
                    results[i] = new NoteResult((NoteStatus)status, seq, ErrorCode.None);
                    break;
                case NoteStatus.Rejected:
                    if (!r.TryReadByte(out var error)) return null;
                    results[i] = NoteResult.Rejected((ErrorCode)error);
                    break;
                case NoteStatus.Deferred:
                    results[i] = NoteResult.Deferred;
                    break;
                default:
                    return null;
            }
        }
        return new AppendAck(instance, first, results);
    }

    private static bool TryReadToken(ref WireReader r, ReadOnlyMemory<byte> datagram, out ReadOnlyMemory<byte> token)
    {
        token = default;
        if (!r.TryReadBytes(ProtocolConstants.MaxTokenBytes, out var start, out var length)) return false;
        token = datagram.Slice(start, length);
        return true;
    }

    private static bool TryReadFilter(ref WireReader r, out HistoryFilter filter)
    {
        filter = HistoryFilter.None;
        if (!r.TryReadByte(out var present) || present > 31) return false;
        string? client = null, address = null, grep = null;
        long? since = null, until = null;
        if ((present & 1) != 0) { if (!r.TryReadString(ProtocolConstants.MaxFilterBytes, out var v)) return false; client = v; }
        if ((present & 2) != 0) { if (!r.TryReadString(ProtocolConstants.MaxFilterBytes, out var v)) return false; address = v; }
        if ((present & 4) != 0) { if (!r.TryReadVarInt64(out var v)) return false; since = v; }
        if ((present & 8) != 0) { if (!r.TryReadVarInt64(out var v)) return false; until = v; }
        if ((present & 16) != 0) { if (!r.TryReadString(ProtocolConstants.MaxFilterBytes, out var v)) return false; grep = v; }
        filter = present == 0 ? HistoryFilter.None : new HistoryFilter(client, address, since, until, grep);
        return true;
    }

    private static HistoryRequest? ReadHistoryRequest(ref WireReader r, ReadOnlyMemory<byte> datagram)
    {
        if (!r.TryReadUInt32(out var id) || !TryReadToken(ref r, datagram, out var token) || !r.TryReadVarUInt(out var after)
            || !r.TryReadVarUInt(out var until) || !r.TryReadUInt16(out var maxReply) || !TryReadFilter(ref r, out var filter))
            return null;
        return new HistoryRequest(id, token, after, until, maxReply, filter);
    }

    private static HistoryPage? ReadHistoryPage(ref WireReader r)
    {
        if (!r.TryReadUInt32(out var id) || !r.TryReadUInt64(out var next) || !r.TryReadByte(out var flags) || flags > 1
            || !r.TryReadUInt16(out var count))
            return null;
        // Each note takes at least 6 bytes (one-byte seq and time, three empty strings, origin):
        // a count beyond that is a lie, refused before allocating.
        if (count > r.Remaining / 6) return null;
        var notes = new Note[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadNote(ref r, out var note)) return null;
            notes[i] = note;
        }
        return new HistoryPage(id, next, flags == 1, notes);
    }

    private static bool TryReadNote(ref WireReader r, out Note note)
    {
        note = null!;
        if (!r.TryReadVarUInt(out var seq) || !r.TryReadVarInt64(out var time)
            || !r.TryReadString(ProtocolConstants.MaxNameBytes * 4, out var client)
            || !r.TryReadString(ProtocolConstants.MaxFilterBytes, out var address)
            || !r.TryReadString(ProtocolConstants.MaxDatagram, out var text) || !r.TryReadByte(out var origin))
            return false;
        byte? pri = null;
        if ((origin & 0x80) != 0)
        {
            if (!r.TryReadByte(out var p) || p > 191) return false;
            pri = p;
            origin &= 0x7F;
        }
        if (origin > (byte)NoteOrigin.Syslog) return false;
        note = new Note(seq, time, client, address, text, (NoteOrigin)origin, pri);
        return true;
    }

    private static CountRequest? ReadCountRequest(ref WireReader r, ReadOnlyMemory<byte> datagram)
    {
        if (!r.TryReadUInt32(out var id) || !TryReadToken(ref r, datagram, out var token) || !r.TryReadVarUInt(out var lastN)
            || !TryReadFilter(ref r, out var filter))
            return null;
        return new CountRequest(id, token, lastN, filter);
    }

    private static CountReply? ReadCountReply(ref WireReader r)
    {
        if (!r.TryReadUInt32(out var id) || !r.TryReadVarUInt(out var matched) || !r.TryReadVarUInt(out var start)
            || !r.TryReadVarUInt(out var end) || !r.TryReadVarUInt(out var total))
            return null;
        return new CountReply(id, matched, start, end, total);
    }

    private static ClientsRequest? ReadClientsRequest(ref WireReader r, ReadOnlyMemory<byte> datagram)
    {
        if (!r.TryReadUInt32(out var id) || !TryReadToken(ref r, datagram, out var token) || !r.TryReadVarUInt(out var after)
            || !r.TryReadUInt16(out var maxReply))
            return null;
        return new ClientsRequest(id, token, after, maxReply);
    }

    private static ClientsPage? ReadClientsPage(ref WireReader r)
    {
        if (!r.TryReadUInt32(out var id) || !r.TryReadUInt64(out var next) || !r.TryReadByte(out var flags) || flags > 1
            || !r.TryReadUInt16(out var count))
            return null;
        if (count > r.Remaining / 5) return null;
        var clients = new ClientSummary[count];
        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadString(ProtocolConstants.MaxNameBytes * 4, out var name) || !r.TryReadString(ProtocolConstants.MaxFilterBytes, out var address)
                || !r.TryReadVarUInt(out var notes) || !r.TryReadVarInt64(out var first) || !r.TryReadVarInt64(out var last))
                return null;
            clients[i] = new ClientSummary(name, address, notes, first, last);
        }
        return new ClientsPage(id, next, flags == 1, clients);
    }

    private static ErrorReply? ReadErrorReply(ref WireReader r)
    {
        if (!r.TryReadUInt32(out var id) || !r.TryReadByte(out var code) || !r.TryReadString(ProtocolConstants.MaxDatagram, out var detail))
            return null;
        return new ErrorReply(id, (ErrorCode)code, detail);
    }

    private static RetryChallenge? ReadRetryChallenge(ref WireReader r, ReadOnlyMemory<byte> datagram)
    {
        if (!r.TryReadUInt32(out var id) || !TryReadToken(ref r, datagram, out var token)) return null;
        return new RetryChallenge(id, token);
    }
}
