using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NetJournal.Protocol;

namespace NetJournal.Web;

/// <summary>Writes the web API's JSON answers straight to the response, notes and clients in their one format (<see cref="NoteJson"/>, <see cref="ClientJson"/>).</summary>
internal static class WebJson
{
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>Writes an answer with <paramref name="status"/>, its body written by <paramref name="body"/>.</summary>
    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, NoteJson.WriterOptions))
        {
            body(json);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>{"error":"…"}</c> with <paramref name="status"/> (400 for bad input).</summary>
    public static Task ErrorAsync(HttpContext context, int status, string error) => WriteAsync(context, status, json =>
    {
        json.WriteStartObject();
        json.WriteString("error", error);
        json.WriteEndObject();
    });

    /// <summary>A seq as the API's cursors carry it: a decimal string (JavaScript's numbers lose integers past 2^53).</summary>
    public static string Seq(ulong seq) => seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
