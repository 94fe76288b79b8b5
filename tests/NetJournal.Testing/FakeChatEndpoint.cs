using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NetJournal.Testing;

/// <summary>
/// A small OpenAI-compatible chat-completions endpoint on a free loopback port (Kestrel): <c>POST /v1/chat/completions</c>
/// answers <see cref="Answer"/> as canned chat-completion JSON, or fails with <see cref="FailWith"/>, or waits
/// <see cref="Delay"/> first. It keeps every request it got (path, Authorization header, body) for the test to read.
/// </summary>
public sealed class FakeChatEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeChatEndpoint(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT</c>, without <c>/v1</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>What the model says.</summary>
    public string Answer { get; set; } = "canned answer";

    /// <summary>When set, every request gets this status and an error body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>How long to wait before answering (the request's cancellation ends the wait).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every request, in order of arrival.</summary>
    public ConcurrentQueue<ChatRequest> Requests { get; } = new();

    /// <summary>A request the endpoint got: its path, its Authorization header, and its body parsed.</summary>
    public sealed record ChatRequest(string Path, string? Authorization, JsonElement Body)
    {
        /// <summary>The text of the message with this role (the first one).</summary>
        public string Message(string role) =>
            Body.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("role").GetString() == role).GetProperty("content") switch
            {
                { ValueKind: JsonValueKind.String } text => text.GetString()!,
                var parts => string.Concat(parts.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
            };
    }

    public static async Task<FakeChatEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeChatEndpoint? endpoint = null;
        app.Run(async context =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
            var self = endpoint!;
            self.Requests.Enqueue(new ChatRequest(context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(), body));
            if (self.Delay > TimeSpan.Zero) await Task.Delay(self.Delay, context.RequestAborted);
            if (context.Request.Path != "/v1/chat/completions")
            {
                context.Response.StatusCode = 404;
                return;
            }
            if (self.FailWith is { } status)
            {
                context.Response.StatusCode = (int)status;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "the model is down", type = "server_error" } });
                return;
            }
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-1",
                @object = "chat.completion",
                created = 1_764_500_000,
                model = body.GetProperty("model").GetString(),
                choices = new[] { new { index = 0, message = new { role = "assistant", content = self.Answer }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint = new FakeChatEndpoint(app, new Uri(address));
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
