using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NetJournal.Protocol;
using NetJournal.Server;

namespace NetJournal.Web;

/// <summary>
/// The web API over the running server: GET /api/notes (a page of notes and the cursor to the next), GET /api/clients,
/// POST /api/notes (a note stored as origin web, answered once durable). The shapes are in docs/web.md.
/// </summary>
internal sealed class WebEndpoints(JournalServer server, IWebAccess access)
{
    /// <summary>The largest request body POST /api/notes reads: a note's most bytes, escaped, and a name.</summary>
    public const int MaxPostBytes = 64 * 1024;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/notes", ReadNotesAsync);
        routes.MapGet("/api/clients", ReadClientsAsync);
        routes.MapPost("/api/notes", WriteNoteAsync);
        // Every other request under /api/ is refused in JSON too: routing's own 404 and 405 have no body.
        routes.MapFallback("/api/{**rest}", RefuseAsync);
    }

    /// <summary>The methods each API path takes, as a 405's Allow header says them (RFC 9110 §15.5.6).</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["/api/notes"] = "GET, POST",
        ["/api/clients"] = "GET",
        [EventStream.Path] = "GET",
    };

    /// <summary>A request no endpoint takes: 405 with Allow for a known path and another method, else 404; both <c>{"error":"…"}</c>.</summary>
    private static Task RefuseAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (Allowed.TryGetValue(path, out var allow))
        {
            context.Response.Headers.Allow = allow;
            return WebJson.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} is not taken on {path}; it takes {allow}");
        }
        return WebJson.ErrorAsync(context, StatusCodes.Status404NotFound, $"no such API: {path} (the API is /api/notes, /api/clients and {EventStream.Path})");
    }

    /// <summary>The request's rights, or null after answering 401 (not authorized) or 403 (may not read, when <paramref name="reading"/>).</summary>
    internal static async Task<WebRights?> AuthorizeAsync(IWebAccess access, HttpContext context, bool reading)
    {
        if (access.Authorize(context, out var refusal) is not { } rights)
        {
            // RFC 6750 §3: a refused request is told the scheme it should use.
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"netjournal\"";
            await WebJson.ErrorAsync(context, StatusCodes.Status401Unauthorized, refusal ?? "refused").ConfigureAwait(false);
            return null;
        }
        if (reading && !rights.MayRead)
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status403Forbidden, ErrorText.Describe(ErrorCode.ReadNotPermitted)).ConfigureAwait(false);
            return null;
        }
        return rights;
    }

    /// <summary>
    /// <c>{"notes":[…],"next":"SEQ"|null,"end":"SEQ"}</c>: at most limit notes in seq order after the cursor; next is the
    /// cursor for the following page (give it as after=), null when there is none; end is the journal's last seq the
    /// answer covered, where an event stream (after=end) continues without a gap.
    /// </summary>
    private async Task ReadNotesAsync(HttpContext context)
    {
        if (await AuthorizeAsync(access, context, reading: true).ConfigureAwait(false) is not { } rights) return;
        if (WebQuery.Parse(context.Request.Query, out var error) is not { } query)
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status400BadRequest, error!).ConfigureAwait(false);
            return;
        }
        var store = server.Store;
        var filter = rights.Restrict(query.Filter);
        var notes = new List<Note>();
        ulong? next = null;
        ulong end;
        if (filter is null || query.Last == 0)
        {
            end = store.LastSeq;
        }
        else
        {
            // Count fixes the range (and where the last N start); without last the range ends at the last seq now.
            ulong start = 0;
            if (query.Last is { } last)
            {
                var count = store.Count(filter, last);
                start = count.StartAfterSeq;
                end = count.EndSeq;
            }
            else
            {
                end = store.LastSeq;
            }
            var cursor = Math.Max(start, query.After ?? 0);
            var more = end != 0 && cursor < end;
            var maxBytes = Math.Clamp(query.Limit * 256, 64 * 1024, 4 * 1024 * 1024);
            while (more && notes.Count < query.Limit)
            {
                var page = store.ReadPage(filter, cursor, end, maxBytes);
                var cut = false;
                foreach (var note in page.Notes)
                {
                    if (notes.Count == query.Limit)
                    {
                        cut = true;
                        break;
                    }
                    notes.Add(note);
                    cursor = note.Seq;
                }
                if (cut) break;
                cursor = page.NextAfterSeq;
                more = !page.Complete && cursor < end;
            }
            if (more) next = cursor;
        }
        await WebJson.WriteAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("notes");
            foreach (var note in notes) NoteJson.Write(json, note);
            json.WriteEndArray();
            if (next is { } n) json.WriteString("next", WebJson.Seq(n));
            else json.WriteNull("next");
            json.WriteString("end", WebJson.Seq(end));
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary><c>{"clients":[{"name","lastAddress","notes","first","last"},…]}</c> in order of first note.</summary>
    private async Task ReadClientsAsync(HttpContext context)
    {
        if (await AuthorizeAsync(access, context, reading: true).ConfigureAwait(false) is not { } rights) return;
        var clients = server.Store.Clients();
        await WebJson.WriteAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("clients");
            foreach (var client in clients)
            {
                if (rights.Admits(client.Name)) ClientJson.Write(json, client);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>{"text":"…","name":"…"}</c> → 201 <c>{"seq":N,"time":"…"}</c> once durable; 400 <c>{"error":"…"}</c> for a
    /// note or name the journal refuses or a body that is not that object; 503 when the server is busy or the write failed.
    /// </summary>
    private async Task WriteNoteAsync(HttpContext context)
    {
        if (await AuthorizeAsync(access, context, reading: false).ConfigureAwait(false) is not { } rights) return;
        if (!rights.MayWrite)
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status403Forbidden, ErrorText.Describe(ErrorCode.WriteNotPermitted)).ConfigureAwait(false);
            return;
        }
        // Only JSON: a page of another site can post a form across origins, but not JSON without asking first (CORS).
        if (!context.Request.HasJsonContentType())
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "send the note as JSON (Content-Type: application/json)").ConfigureAwait(false);
            return;
        }
        var (post, error) = await ReadPostAsync(context).ConfigureAwait(false);
        if (post is not { } p)
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status400BadRequest, error!).ConfigureAwait(false);
            return;
        }
        // With a key the note is stored under the key's name: a body may leave "name" out, or give that same name.
        if (rights.Name is { } own && p.Name is { } claimed && !string.Equals(claimed, own, StringComparison.Ordinal))
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status403Forbidden, $"this key writes as '{own}' only: leave \"name\" out or give that name").ConfigureAwait(false);
            return;
        }
        var name = rights.Name ?? p.Name;
        if (name is null)
        {
            await WebJson.ErrorAsync(context, StatusCodes.Status400BadRequest, "the note needs a name: give \"name\" as well as \"text\"").ConfigureAwait(false);
            return;
        }
        var address = context.Connection.RemoteIpAddress is { } ip
            ? new ClientAddress(new IPEndPoint(ip, context.Connection.RemotePort)).Text
            : "web";
        var result = await server.AppendAsync(new LocalNote(name, address, p.Text, NoteOrigin.Web), context.RequestAborted).ConfigureAwait(false);
        if (result.IsStored)
        {
            await WebJson.WriteAsync(context, StatusCodes.Status201Created, json =>
            {
                json.WriteStartObject();
                json.WriteNumber("seq", result.Result.Seq);
                json.WriteString("time", NoteJson.FormatTime(result.TimeMs));
                json.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }
        var code = result.Result.Error;
        var status = code is ErrorCode.ServerBusy or ErrorCode.StorageFailed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
        var text = code == ErrorCode.BadName ? $"name: {ErrorText.Describe(code)}" : ErrorText.Describe(code);
        await WebJson.ErrorAsync(context, status, text).ConfigureAwait(false);
    }

    private readonly record struct NotePost(string Text, string? Name);

    /// <summary>The posted object, or null and why not.</summary>
    private static async Task<(NotePost? Post, string? Error)> ReadPostAsync(HttpContext context)
    {
        const string Shape = "the body must be a JSON object {\"text\": \"...\", \"name\": \"...\"}";
        if (context.Request.ContentLength > MaxPostBytes) return (null, $"the body is longer than {MaxPostBytes} bytes");
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[8192];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxPostBytes) return (null, $"the body is longer than {MaxPostBytes} bytes");
                buffer.Write(chunk, 0, read);
            }
            body = buffer.ToArray();
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, Shape);
            if (!root.TryGetProperty("text", out var text)) return (null, "the note needs \"text\"");
            if (text.ValueKind != JsonValueKind.String) return (null, "\"text\" must be a string");
            string? name = null;
            if (root.TryGetProperty("name", out var nameValue) && nameValue.ValueKind != JsonValueKind.Null)
            {
                if (nameValue.ValueKind != JsonValueKind.String) return (null, "\"name\" must be a string");
                name = nameValue.GetString();
            }
            return (new NotePost(text.GetString()!, name), null);
        }
        catch (JsonException)
        {
            return (null, $"the body is not valid JSON; {Shape}");
        }
        catch (InvalidOperationException)
        {
            // GetString throws this for a string that is not text: invalid UTF-8 bytes, or an escaped lone surrogate (\ud800).
            return (null, "the body's strings must be text: valid UTF-8, with no lone surrogate escape such as \\ud800");
        }
    }
}
