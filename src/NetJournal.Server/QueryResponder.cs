using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NetJournal.Protocol;
using NetJournal.Server.Keys;
using NetJournal.Server.Bot;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>Answers history, count and clients requests from the in-memory index, on its own thread so appends never wait for a scan.</summary>
internal sealed class QueryResponder(
    IJournalStore store, ReplyGate replies, AddressValidator validator, ServerCounters counters, ILogger logger, int plainHistoryMaxNotes,
    QuestionRouter? questions = null)
{
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxDatagram + 16 * 1024];
    private readonly RecentReplies _recent = new();
    private readonly ArrayBufferWriter<byte> _pageNotes = new(ProtocolConstants.MaxDatagram + 16 * 1024);

    public async Task RunAsync(ChannelReader<QueryWork> queue)
    {
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            while (queue.TryRead(out var work))
            {
                try
                {
                    Answer(work);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
                {
                    ServerLog.QueryFailed(logger, e, work.Request?.Type.ToString() ?? "PlainHistory", work.From.Text);
                }
            }
        }
    }

    internal void Answer(QueryWork work)
    {
        if (work.IsPlainHistory)
        {
            SendPlainHistory(work.From);
            return;
        }
        // The requester's rights narrow every filter here, in one place (ReadScope): read-own sees its own notes only.
        var scope = work.From.Scope;
        switch (work.Request)
        {
            case CountRequest { Filter: var asked } r0 when !ReferenceEquals(scope, ReadScope.All):
                Answer(work with { Request = r0 with { Filter = scope.Narrow(asked) } }, ReadScope.All);
                break;
            case HistoryRequest { Filter: var asked } r0 when !ReferenceEquals(scope, ReadScope.All):
                Answer(work with { Request = r0 with { Filter = scope.Narrow(asked) } }, ReadScope.All);
                break;
            default:
                Answer(work, scope);
                break;
        }
    }

    private void Answer(QueryWork work, ReadScope scope)
    {
        switch (work.Request)
        {
            case CountRequest r:
                var countKey = (work.From.Text, r.RequestId, r.LastN, r.Filter);
                if (_recent.TryGet(countKey, out var sameCount))
                {
                    replies.Send(sameCount, work.From, work.RequestBytes, validated: false);
                    return;
                }
                var count = store.Count(r.Filter, r.LastN);
                _recent.Add(countKey, Send(new CountReply(r.RequestId, count.Matched, count.StartAfterSeq, count.EndSeq, count.TotalNotes), work, validated: false));
                break;
            case HistoryRequest r:
                if (!Validated(work, r.RequestId, r.Token)) return;
                var pageKey = (work.From.Text, r.RequestId, r.AfterSeq, r.UntilSeq, r.MaxReply, r.Filter);
                if (_recent.TryGet(pageKey, out var samePage))
                {
                    replies.Send(samePage, work.From, work.RequestBytes, validated: true);
                    return;
                }
                var max = Math.Clamp((int)r.MaxReply, ProtocolConstants.MinMaxReply, ProtocolConstants.MaxDatagram);
                if (r.Filter.Grep is null && store.SupportsWirePages)
                {
                    SendPageOfLines(r, max, work);
                    break;
                }
                var page = store.ReadPage(r.Filter, r.AfterSeq, r.UntilSeq, max - MessageCodec.PageOverhead);
                var sent = Send(new HistoryPage(r.RequestId, page.NextAfterSeq, page.Complete, page.Notes), work, validated: true);
                // Only pages that took a scan are worth keeping; a plain page is cheaper to build again than to hold.
                if (r.Filter.Grep is not null) _recent.Add(pageKey, sent);
                break;
            case ClientsRequest r:
                if (!Validated(work, r.RequestId, r.Token)) return;
                Send(ClientsPageFor(r, scope), work, validated: true);
                break;
            case AskRequest r when questions is null:
                Send(new ErrorReply(r.RequestId, ErrorCode.UnknownMessage, "this server has no bot"), work, validated: false);
                break;
            case AskRequest r:
                // The answer is larger than the question: it goes only to an address that showed a token (§7).
                if (!Validated(work, r.RequestId, r.Token)) return;
                questions.Ask(r, work.From, replies);
                break;
        }
    }

    /// <summary>
    /// The latest notes (at most plainHistoryMaxNotes) as plain-text lines. The router only queues this for sources
    /// in the allow-list, which stands in for the token: these replies are far larger than the request.
    /// </summary>
    private void SendPlainHistory(ClientAddress to)
    {
        var range = store.Count(HistoryFilter.None, (ulong)plainHistoryMaxNotes);
        PlainHistoryFormat.Pack(PlainHistoryNotes(range.StartAfterSeq, range.EndSeq), datagram => replies.Send(datagram, to, 0, validated: true));
    }

    private IEnumerable<Note> PlainHistoryNotes(ulong afterSeq, ulong untilSeq)
    {
        if (untilSeq == 0) yield break;
        while (true)
        {
            var page = store.ReadPage(HistoryFilter.None, afterSeq, untilSeq, ProtocolConstants.MaxDatagram);
            foreach (var note in page.Notes) yield return note;
            if (page.Complete || page.NextAfterSeq <= afterSeq) yield break;
            afterSeq = page.NextAfterSeq;
        }
    }

    private bool Validated(QueryWork work, uint requestId, ReadOnlyMemory<byte> token)
    {
        if (validator.IsValid(work.From.Ip, token.Span)) return true;
        counters.Challenge();
        Send(new RetryChallenge(requestId, validator.Issue(work.From.Ip)), work, validated: false);
        return false;
    }

    private ClientsPage ClientsPageFor(ClientsRequest r, ReadScope scope)
    {
        var budget = Math.Clamp((int)r.MaxReply, ProtocolConstants.MinMaxReply, ProtocolConstants.MaxDatagram) - MessageCodec.PageOverhead;
        var all = store.Clients((int)Math.Min(r.AfterIndex, int.MaxValue));
        // A read-own client's list holds itself alone (its index still counts in the whole list, so paging is unchanged).
        if (scope.OwnName is not null) return OwnClientsPage(r, scope, all);
        var taken = new List<ClientSummary>();
        var used = 0;
        foreach (var c in all)
        {
            var size = MessageCodec.ClientSize(c);
            if (taken.Count > 0 && used + size > budget) break;
            taken.Add(c);
            used += size;
        }
        return new ClientsPage(r.RequestId, r.AfterIndex + (ulong)taken.Count, taken.Count == all.Count, taken);
    }

    private static ClientsPage OwnClientsPage(ClientsRequest r, ReadScope scope, IReadOnlyList<ClientSummary> rest)
    {
        List<ClientSummary> own = [.. rest.Where(c => scope.Admits(c.Name))];
        return new ClientsPage(r.RequestId, r.AfterIndex + (ulong)rest.Count, true, own);
    }

    /// <summary>A page without grep: journal lines turned into its notes directly, no object per note.</summary>
    private void SendPageOfLines(HistoryRequest r, int max, QueryWork work)
    {
        _pageNotes.ResetWrittenCount();
        var page = store.ReadPageWire(r.Filter, r.AfterSeq, r.UntilSeq, max - MessageCodec.PageOverhead, _pageNotes);
        var length = MessageCodec.WriteHistoryPageHeader(_buffer, r.RequestId, page.NextAfterSeq, page.Complete, page.Count);
        _pageNotes.WrittenSpan.CopyTo(_buffer.AsSpan(length));
        replies.Send(_buffer.AsSpan(0, length + page.Bytes), work.From, work.RequestBytes, validated: true);
    }

    private ReadOnlySpan<byte> Send(JournalMessage reply, QueryWork work, bool validated)
    {
        var length = MessageCodec.Encode(reply, _buffer);
        replies.Send(_buffer.AsSpan(0, length), work.From, work.RequestBytes, validated);
        return _buffer.AsSpan(0, length);
    }
}
