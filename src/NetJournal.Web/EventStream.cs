using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.Web;

/// <summary>
/// GET /api/events: Server-Sent Events (WHATWG HTML, "Server-sent events"), one event per stored note that matches the
/// filters, <c>id:</c> its seq and <c>data:</c> its JSON (<see cref="NoteJson"/>), and a comment line every
/// keep-alive interval. A reader resumes strictly after the seq in <c>Last-Event-ID</c> (what EventSource sends on a
/// reconnect) or else <c>?after=</c>; without either it gets the notes stored from now on.
/// <para>
/// No note is missed or sent twice across the switch from history to live: the subscription to <see cref="NoteFeed"/>
/// is taken first (notes committed from then on queue there), then history is read up to the last seq the store
/// had at that moment, then the queue is drained, skipping every seq at or below that point. A reader that falls
/// behind its queue is closed; its EventSource reconnects with its last id and catches up from history.
/// </para>
/// The events are written by hand, not with TypedResults.ServerSentEvents: its formatter (SseFormatter) writes items
/// only, and the keep-alive is a comment line.
/// </summary>
internal sealed class EventStream(JournalServer server, NoteFeed feed, IWebAccess access, WebViewOptions options, CancellationToken stopping)
{
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    /// <summary>The stream's path: the one request that may carry its token as ?token= (<see cref="KeyedWebAccess"/>).</summary>
    public const string Path = "/api/events";

    public void Map(IEndpointRouteBuilder routes) => routes.MapGet(Path, RunAsync);

    private async Task RunAsync(HttpContext context)
    {
        if (await WebEndpoints.AuthorizeAsync(access, context, reading: true).ConfigureAwait(false) is not { } rights) return;
        if (WebQuery.Parse(context.Request.Query, out var error) is not { } query)
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status400BadRequest, error!).ConfigureAwait(false);
            return;
        }
        ulong? after = query.After;
        if (context.Request.Headers["Last-Event-ID"] is { Count: > 0 } lastId)
        {
            // The browser's own record of the last event it got is newer than the after= of the page that opened it.
            if (!WebQuery.TryParseSeq(lastId[^1], out var seq))
            {
                await WebJson.ErrorAsync(context, StatusCodes.Status400BadRequest, $"Last-Event-ID: '{lastId[^1]}' is not a seq").ConfigureAwait(false);
                return;
            }
            after = seq;
        }
        var filter = rights.Restrict(query.Filter);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = cancel.Token;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = context.Response.BodyWriter;
        try
        {
            // Subscribe first, then read where the store is: a note committed in between is in both and sent once.
            using var subscription = feed.Subscribe(filter ?? HistoryFilter.None, options.SubscriptionCapacity);
            var upTo = server.Store.LastSeq;
            var sent = after ?? upTo;
            output.Write("retry: 1000\n\n"u8);
            await output.FlushAsync(ct).ConfigureAwait(false);
            if (filter is null)
            {
                // Nothing these rights may read matches: the stream stays open and silent.
                subscription.Dispose();
            }
            else if (sent < upTo)
            {
                sent = await SendHistoryAsync(output, filter, sent, upTo, ct).ConfigureAwait(false);
            }
            var floor = Math.Max(sent, upTo);
            // Asked again before each batch of live notes and at each keep-alive: with keys on, a reload of the clients
            // file that takes the client out or changes what it may read ends the stream (its reconnect is checked anew).
            bool StillAllowed() => access.Authorize(context, out _) is { } now && now.ReadsAs(rights);
            await SendLiveAsync(output, filter is null ? null : subscription, floor, StillAllowed, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The browser went away or the server is stopping: a normal end.
        }
    }

    /// <summary>Sends the stored notes with after &lt; seq &lt;= upTo; returns the cursor reached (upTo).</summary>
    private async Task<ulong> SendHistoryAsync(System.IO.Pipelines.PipeWriter output, HistoryFilter filter, ulong after, ulong upTo, CancellationToken ct)
    {
        var cursor = after;
        var json = new JsonBuffer();
        while (cursor < upTo)
        {
            var page = server.Store.ReadPage(filter, cursor, upTo, 256 * 1024);
            foreach (var note in page.Notes) json.WriteEvent(output, note);
            cursor = page.Complete ? upTo : page.NextAfterSeq;
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
        return upTo;
    }

    /// <summary>
    /// Sends each live note above <paramref name="floor"/> until the queue closes, the request ends or
    /// <paramref name="stillAllowed"/> says no, with keep-alives.
    /// </summary>
    private async Task SendLiveAsync(System.IO.Pipelines.PipeWriter output, NoteSubscription? subscription, ulong floor, Func<bool> stillAllowed, CancellationToken ct)
    {
        var json = new JsonBuffer();
        var waiting = subscription?.Notes.WaitToReadAsync(ct).AsTask() ?? Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => false, TaskScheduler.Default);
        while (true)
        {
            bool open;
            try
            {
                open = await waiting.WaitAsync(options.KeepAliveInterval, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                if (!stillAllowed()) return;
                output.Write(KeepAlive);
                await output.FlushAsync(ct).ConfigureAwait(false);
                continue;
            }
            // Closed: overflowed (the reader reconnects and resumes from history) or disposed.
            if (!open || !stillAllowed()) return;
            while (subscription!.Notes.TryRead(out var note))
            {
                if (note.Seq > floor) json.WriteEvent(output, note.ToNote());
            }
            await output.FlushAsync(ct).ConfigureAwait(false);
            waiting = subscription.Notes.WaitToReadAsync(ct).AsTask();
        }
    }

    /// <summary>One reusable JSON writer for a stream's events.</summary>
    private sealed class JsonBuffer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private readonly Utf8JsonWriter _json;

        public JsonBuffer() => _json = new Utf8JsonWriter(_buffer, NoteJson.WriterOptions);

        /// <summary><c>id: SEQ\ndata: {…}\n\n</c>; the JSON is one line (a line break in a note is escaped).</summary>
        public void WriteEvent(IBufferWriter<byte> output, Note note)
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            NoteJson.Write(_json, note);
            _json.Flush();
            output.Write("id: "u8);
            Span<byte> digits = stackalloc byte[20];
            note.Seq.TryFormat(digits, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
            output.Write(digits[..n]);
            output.Write("\ndata: "u8);
            output.Write(_buffer.WrittenSpan);
            output.Write("\n\n"u8);
        }
    }
}
