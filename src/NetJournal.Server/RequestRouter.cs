using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Protocol.Syslog;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// Datagram in, work out: decodes each datagram on the receive thread, refuses what is wrong at once,
/// and hands appends to the commit thread and queries to the query thread through bounded queues.
/// It never throws on input and never blocks: a full queue drops the datagram, and the client retries.
/// With keys on it gets datagrams already opened (<see cref="Keys.SessionOpener"/>): a native request's name is then its
/// client's in the clients file and its rights apply; plain-text and syslog notes (from allowed networks only) have
/// their client name marked <c>[...]</c> as unauthenticated (<paramref name="markUnauthenticated"/>).
/// </summary>
internal sealed class RequestRouter(
    CommitQueue commits, ChannelWriter<QueryWork> queries, ReplyGate replies, ServerCounters counters, ILogger logger,
    IReadOnlyList<IPNetwork> plainHistoryAllow, FollowerRegistry? followers = null, bool markUnauthenticated = false)
{
    private readonly byte[] _replyBuffer = new byte[1024];

    // Plain-text and syslog notes of the current receive batch: they get no acknowledgement, so one work carries
    // them all. A flood then costs the commit queue one work per system call rather than one per datagram, and a
    // stall that backs the queue up leaves a few hundred objects for the garbage collector, not tens of thousands.
    private AppendWork? _unanswered;

    /// <summary>Hands on what the datagrams since the last call left waiting; call it after each receive batch.</summary>
    public void EndOfBatch()
    {
        if (_unanswered is not { } work) return;
        _unanswered = null;
        Enqueue(work);
    }

    public void Handle(ReadOnlyMemory<byte> datagram, ClientAddress from)
    {
        counters.Datagram();
        // The header is read once; appends, the bulk of the traffic, are read in place, everything else goes through the full decoder.
        var status = DatagramHeader.Read(datagram.Span, out var header);
        JournalMessage? message = null;
        if (status == DecodeStatus.Ok)
        {
            if (AppendRequestView.TryRead(datagram.Span, header, out var append))
            {
                var interactive = append.NoteCount <= InteractiveNotes && append.FirstNumber == append.Base && append.Instance != 0;
                Enqueue(ToWork(commits.Rent(), append, from, datagram.Length), interactive);
                return;
            }
            status = MessageCodec.TryDecode(datagram, header, out message);
        }
        switch (status)
        {
            case DecodeStatus.Ok:
                Dispatch(message!, from, datagram.Length);
                break;
            case DecodeStatus.NotNative:
                HandleForeign(datagram.Span, from);
                break;
            case DecodeStatus.UnsupportedVersion:
                counters.UnsupportedDatagram();
                Refuse(ErrorCode.UnsupportedVersion, $"this server speaks NetJournal protocol version {ProtocolConstants.Version}", from, datagram.Length);
                break;
            case DecodeStatus.UnsupportedFlags or DecodeStatus.UnknownType:
                counters.UnsupportedDatagram();
                Refuse(ErrorCode.UnknownMessage, "", from, datagram.Length);
                break;
            default:
                counters.MalformedDatagram();
                if (counters.Malformed <= 20 || counters.Malformed % 10_000 == 0)
                    ServerLog.Malformed(logger, datagram.Length, from.Text, status.ToString());
                break;
        }
    }

    private void Dispatch(JournalMessage message, ClientAddress from, int bytes)
    {
        if (from.Scope.IsNothing && message is HistoryRequest or CountRequest or ClientsRequest or FollowRequest)
        {
            RefuseRequest(RequestIdOf(message), ErrorCode.ReadNotPermitted, from, bytes);
            return;
        }
        // The bot reads the whole journal for its answers: only a client that may read all of it may ask.
        if (message is AskRequest ask && !ReferenceEquals(from.Scope, Keys.ReadScope.All))
        {
            RefuseRequest(ask.RequestId, ErrorCode.ReadNotPermitted, from, bytes);
            return;
        }
        switch (message)
        {
            case HistoryRequest r:
                EnqueueQuery(r with { Token = r.Token.ToArray() }, from, bytes);
                break;
            case CountRequest r:
                EnqueueQuery(r with { Token = r.Token.ToArray() }, from, bytes);
                break;
            case ClientsRequest r:
                EnqueueQuery(r with { Token = r.Token.ToArray() }, from, bytes);
                break;
            case AskRequest r:
                EnqueueQuery(r with { Token = r.Token.ToArray() }, from, bytes);
                break;
            case FollowRequest r when followers is not null:
                // The registry answers it on its own task, in order with the commits it pushes.
                if (!followers.Offer(r with { Token = r.Token.ToArray() }, from, bytes)) counters.Drop();
                break;
            case FollowRequest:
                counters.UnsupportedDatagram();
                Refuse(ErrorCode.UnknownMessage, "", from, bytes);
                break;
            default:
                // Replies sent to a server are someone's mistake or a reflection attempt: counted, never answered.
                counters.UnsupportedDatagram();
                break;
        }
    }

    private static uint RequestIdOf(JournalMessage message) => message switch
    {
        HistoryRequest r => r.RequestId,
        CountRequest r => r.RequestId,
        ClientsRequest r => r.RequestId,
        FollowRequest r => r.RequestId,
        _ => 0,
    };

    // Interactive: a few notes from a client with nothing earlier unanswered, so taking it first reorders nothing.
    // The text stays the UTF-8 it came in: it goes into the note's line and never becomes a string here.
    private static AppendWork ToWork(AppendWork work, AppendRequestView append, ClientAddress from, int bytes)
    {
        work.Start(from, append.Instance, append.FirstNumber, bytes, append.Base, append.AcceptsHeld);
        // A keyed client's notes carry the name in the clients file, whatever the datagram claims.
        var client = from.Client;
        var name = client?.Name ?? from.Name(append.Name);
        var nameError = client is { CanWrite: false } ? ErrorCode.WriteNotPermitted : NoteRules.CheckName(name);
        var i = 0UL;
        foreach (var body in append)
        {
            var error = nameError != ErrorCode.None ? nameError : NoteRules.Check(body);
            work.Notes.Add(new PendingNote(name, from.Text, null, NoteOrigin.Native, null, append.Instance, append.FirstNumber + i++, append.Base, error), body);
        }
        return work;
    }

    private const int InteractiveNotes = 4;

    // A batch is at most 32 datagrams; the bound keeps a work small for any caller that seldom ends one.
    private const int MaxUnansweredNotes = 64;

    private AppendWork Unanswered(int datagramBytes)
    {
        if (_unanswered is { } open && open.Notes.Count >= MaxUnansweredNotes) EndOfBatch();
        var work = _unanswered ??= commits.Rent().Start(null, 0, 0, 0);
        work.AddRequestBytes(datagramBytes);
        return work;
    }

    // Every note's line but for seq and time was encoded as it was added, so the commit thread only prefixes and copies.
    private void Enqueue(AppendWork work, bool interactive = false)
    {
        if (commits.TryWrite(work, interactive)) return;
        // An unanswered work carries one note per datagram; an append is one datagram.
        counters.Drop(work.ReplyTo is null ? work.Notes.Count : 1);
        commits.Return(work);
    }

    private void EnqueueQuery(JournalMessage request, ClientAddress from, int bytes)
    {
        if (!queries.TryWrite(new QueryWork(request, from, bytes))) counters.Drop();
    }

    /// <summary>
    /// A datagram without NetJournal's magic: a bare <c>r</c> asks for the plain-text history, a syslog message
    /// becomes a syslog note, and anything else (a <c>&lt;</c> that does not parse included) is a plain-text note.
    /// </summary>
    private void HandleForeign(ReadOnlySpan<byte> datagram, ClientAddress from)
    {
        if (IsPlainHistoryRequest(datagram))
        {
            RequestPlainHistory(from, datagram.Length);
            return;
        }
        if (datagram.Length > 0 && datagram[0] == (byte)'<' && SyslogParser.TryParse(datagram, out var syslog))
        {
            HandleSyslog(syslog, from, datagram.Length);
            return;
        }
        // UTF-8 (nearly every sender) stays bytes, as a native note's text does; anything else is decoded by PlainText.
        // Such a sender cannot be told of a refusal, so only an empty datagram is refused (ForeignNoteRules): line breaks
        // stay in the text and a text over the limit is cut and marked. The common case is one pass over the bytes.
        var body = PlainText.Trim(datagram);
        if (body.IsEmpty)
        {
            counters.Rejection();
            return;
        }
        string? text = null;
        var cut = false;
        if (!Utf8Text.IsValid(body))
        {
            text = PlainText.Decode(body);
            cut = ForeignNoteRules.IsTooLong(text);
            if (cut) text = ForeignNoteRules.CutText(text);
        }
        else if (body.Length > ProtocolConstants.MaxNoteBytes)
        {
            text = ForeignNoteRules.CutText(body);
            cut = true;
        }
        if (cut) counters.CutNote();
        counters.PlainNote();
        var work = Unanswered(datagram.Length);
        var note = new PendingNote(Unauthenticated(from.IpText), from.Text, text, NoteOrigin.PlainText);
        if (text is null) work.Notes.Add(note, body);
        else work.Notes.Add(note);
    }

    /// <summary><c>r</c> or <c>R</c>, optionally followed by CR/LF, and nothing else.</summary>
    internal static bool IsPlainHistoryRequest(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || datagram[0] is not ((byte)'r' or (byte)'R')) return false;
        foreach (var b in datagram[1..])
            if (b is not ((byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    private void RequestPlainHistory(ClientAddress from, int bytes)
    {
        if (!plainHistoryAllow.Any(network => network.Contains(from.Ip)))
        {
            counters.PlainHistoryRefusal();
            return;
        }
        counters.PlainHistoryRequest();
        if (!queries.TryWrite(QueryWork.PlainHistory(from, bytes))) counters.Drop();
    }

    /// <summary>
    /// A syslog note: its MSG, or its structured data when there is no MSG; refused only when it has neither.
    /// A text over the limit is cut and marked, and a HOSTNAME that makes the client name too long is cut so that
    /// <c>HOSTNAME/APP-NAME</c> fits with APP-NAME whole (at most 48 bytes); either counts the note as cut once.
    /// </summary>
    private void HandleSyslog(SyslogMessage syslog, ClientAddress from, int bytes)
    {
        var text = syslog.Message.Length > 0 ? syslog.Message : syslog.StructuredData ?? "";
        if (text.Length == 0)
        {
            counters.Rejection();
            return;
        }
        var cut = ForeignNoteRules.IsTooLong(text);
        if (cut) text = ForeignNoteRules.CutText(text);
        var host = syslog.Hostname ?? from.IpText;
        var client = syslog.AppName is null ? host : host + "/" + syslog.AppName;
        if (NoteRules.CheckName(client) != ErrorCode.None)
        {
            // Header fields are printable ASCII (SyslogParser), so APP-NAME's length is its bytes.
            client = syslog.AppName is null
                ? ForeignNoteRules.CutName(host)
                : ForeignNoteRules.CutName(host, ProtocolConstants.MaxNameBytes - 1 - syslog.AppName.Length) + "/" + syslog.AppName;
            cut = true;
        }
        if (markUnauthenticated && Unauthenticated(client) is var marked && NoteRules.CheckName(marked) != ErrorCode.None)
        {
            client = ForeignNoteRules.CutName(client, ProtocolConstants.MaxNameBytes - 2);
            cut = true;
        }
        client = Unauthenticated(client);
        if (cut) counters.CutNote();
        counters.SyslogNote();
        Unanswered(bytes).Notes.Add(new PendingNote(client, from.Text, text, NoteOrigin.Syslog, syslog.Priority));
    }

    /// <summary>With keys on, a plain-text or syslog note's client in brackets (<c>[10.0.0.5]</c>): no keyed name starts with one.</summary>
    private string Unauthenticated(string client) => markUnauthenticated ? "[" + client + "]" : client;

    private void RefuseRequest(uint requestId, ErrorCode code, ClientAddress from, int requestBytes)
    {
        var length = MessageCodec.Encode(new ErrorReply(requestId, code, ""), _replyBuffer);
        replies.Send(_replyBuffer.AsSpan(0, length), from, requestBytes, validated: false);
    }

    private void Refuse(ErrorCode code, string detail, ClientAddress from, int requestBytes)
    {
        // The detail is dropped when it would make the reply larger than the gate allows for this request.
        var length = MessageCodec.Encode(new ErrorReply(0, code, detail), _replyBuffer);
        if (length > ProtocolConstants.AmplificationFactor * requestBytes)
            length = MessageCodec.Encode(new ErrorReply(0, code, ""), _replyBuffer);
        replies.Send(_replyBuffer.AsSpan(0, length), from, requestBytes, validated: false);
    }
}
