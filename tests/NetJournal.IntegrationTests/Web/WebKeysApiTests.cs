using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using NetJournal.Cli;
using NetJournal.Client;
using NetJournal.Protocol.Sealing;

namespace NetJournal.IntegrationTests.Web;

/// <summary>
/// The web view with keys on (`serve --clients FILE --http`), against a real server and a real Kestrel on free loopback
/// ports: a request needs a client's token and gets that client's rights, checked against the clients file as it reads now.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WebKeysApiTests : IAsyncLifetime
{
    private readonly string _folder = TestServer.TempDirectory();
    private readonly ClientKey _alice = ClientKey.Generate();
    private readonly ClientKey _bob = ClientKey.Generate();
    private readonly ClientKey _carol = ClientKey.Generate();
    private readonly ClientKey _dave = ClientKey.Generate();
    private WebTestServer _web = null!;

    private string ClientsPath => Path.Combine(_folder, "clients");

    private string Alice => WebToken.Derive("alice", _alice);
    private string Bob => WebToken.Derive("bob", _bob);

    public async ValueTask InitializeAsync()
    {
        WriteClients(
            $"alice {_alice} write,read-all",
            $"bob {_bob} write,read-own,read-all",
            $"carol {_carol} none,write",
            $"dave {_dave} write");
        _web = await WebTestServer.StartAsync(clientsFile: ClientsPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _web.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private void WriteClients(params string[] lines)
    {
        // Written beside and renamed over, as an editor saves, so a reload never reads half a file.
        var temporary = ClientsPath + ".new";
        File.WriteAllText(temporary, string.Join('\n', lines) + "\n");
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, ClientsPath, overwrite: true);
    }

    /// <summary>Changes the clients file and waits until the server has read it again (its watcher sees the rename).</summary>
    private async Task ReloadAsync(params string[] lines)
    {
        var registry = _web.Server.Clients!;
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = registry.File;
        registry.Reloaded += () => { if (!ReferenceEquals(registry.File, before)) reloaded.TrySetResult(); };
        WriteClients(lines);
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string url, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await _web.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private async Task<JsonElement> GetAsync(string url, string? token, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, body, response) = await SendAsync(HttpMethod.Get, url, token);
        using (response) Assert.True(status == expected, $"{url}: {(int)status} {body}");
        return body;
    }

    private async Task<JsonElement> PostAsync(string? token, string body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var (status, answer, response) = await SendAsync(HttpMethod.Post, "api/notes", token, body);
        using (response) Assert.True(status == expected, $"POST {body}: {(int)status} {answer}");
        return answer;
    }

    private static List<string> Field(JsonElement answer, string list, string field) =>
        [.. answer.GetProperty(list).EnumerateArray().Select(n => n.GetProperty(field).GetString()!)];

    [Fact]
    public async Task Without_a_token_or_with_a_wrong_one_every_request_is_a_401_saying_what_to_give()
    {
        await PostAsync(Alice, """{"text":"secret note"}""");
        var wrongKey = WebToken.Derive("alice", ClientKey.Generate());
        var tokens = new[] { null, wrongKey, "alice", "nobody." + Alice[(Alice.LastIndexOf('.') + 1)..], Alice + "x", Alice[..^1] + "/", _alice.ToString() };
        foreach (var token in tokens)
        {
            foreach (var (method, url, body) in new[] { (HttpMethod.Get, "api/notes", null), (HttpMethod.Get, "api/clients", null), (HttpMethod.Get, "api/events", null), (HttpMethod.Post, "api/notes", """{"text":"x"}""") })
            {
                var (status, answer, response) = await SendAsync(method, url, token, body);
                using (response)
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, status);
                    Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                    var error = answer.GetProperty("error").GetString()!;
                    Assert.Contains("netjournal token", error);
                    Assert.DoesNotContain("secret", answer.ToString());
                }
            }
        }
        // The key itself is no token either, and nothing was stored by the refused posts.
        Assert.Equal(1, _web.Server.Store.NoteCount);
        // The page itself is served to anyone: it asks for the token.
        using var page = await _web.Http.GetAsync("", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_client_taken_out_of_the_file_or_given_a_new_key_is_refused_its_old_token_once_the_file_is_read_again()
    {
        Assert.Empty(Field(await GetAsync("api/notes", Bob), "notes", "text"));
        await GetAsync("api/notes", Alice);
        var newAlice = ClientKey.Generate();
        await ReloadAsync($"alice {newAlice} write,read-all", $"dave {_dave} write");
        await GetAsync("api/notes", Bob, HttpStatusCode.Unauthorized);
        await GetAsync("api/notes", Alice, HttpStatusCode.Unauthorized);
        await PostAsync(Bob, """{"text":"after removal"}""", HttpStatusCode.Unauthorized);
        await GetAsync("api/notes", WebToken.Derive("alice", newAlice));
        Assert.Equal(0, _web.Server.Store.NoteCount);
    }

    [Fact]
    public async Task An_open_event_stream_ends_when_its_client_is_taken_out_of_the_file_and_its_reconnect_is_refused()
    {
        var url = $"api/events?token={Uri.EscapeDataString(Alice)}";
        using var response = await _web.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var events = SseParser.Create(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)).EnumerateAsync().GetAsyncEnumerator();
        await PostAsync(Alice, """{"text":"while alice is in the file"}""");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        Assert.Contains("while alice is in the file", events.Current.Data);

        await ReloadAsync($"dave {_dave} write");
        await PostAsync(WebToken.Derive("dave", _dave), """{"text":"after alice is taken out"}""");
        // The next batch finds her gone: the stream ends with nothing more sent.
        Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        await GetAsync(url, null, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Read_own_sees_only_its_own_notes_in_notes_clients_and_events()
    {
        await PostAsync(Alice, """{"text":"alice 1"}""");
        await PostAsync(Bob, """{"text":"bob 1"}""");
        await PostAsync(Alice, """{"text":"alice 2"}""");

        Assert.Equal(["alice 1", "bob 1", "alice 2"], Field(await GetAsync("api/notes", Alice), "notes", "text"));
        Assert.Equal(["bob 1"], Field(await GetAsync("api/notes", Bob), "notes", "text"));
        Assert.Empty(Field(await GetAsync("api/notes?client=alice", Bob), "notes", "text"));
        Assert.Equal(["bob 1"], Field(await GetAsync("api/notes?last=5", Bob), "notes", "text"));
        Assert.Equal(["alice", "bob"], Field(await GetAsync("api/clients", Alice), "clients", "name"));
        Assert.Equal(["bob"], Field(await GetAsync("api/clients", Bob), "clients", "name"));

        // The stream: from the start (history), then live; a token in ?token= (what an EventSource sends).
        using var response = await _web.Http.GetAsync($"api/events?after=0&token={Uri.EscapeDataString(Bob)}", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var events = SseParser.Create(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)).EnumerateAsync().GetAsyncEnumerator();
        await PostAsync(Alice, """{"text":"alice live"}""");
        await PostAsync(Bob, """{"text":"bob live"}""");
        var texts = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (texts.Count < 2)
        {
            Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token), "the stream ended");
            texts.Add(JsonDocument.Parse(events.Current.Data).RootElement.GetProperty("text").GetString()!);
        }
        Assert.Equal(["bob 1", "bob live"], texts);
    }

    [Fact]
    public async Task A_token_pasted_with_spaces_or_a_newline_around_it_is_taken()
    {
        // As pasted from a terminal: the newline `netjournal token` ends its line with, and a stray space.
        using var stream = await _web.Http.GetAsync($"api/events?token={Uri.EscapeDataString(" " + Alice + "\n")}", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/clients");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", "Bearer   " + Alice + " \t"));
        using var response = await _web.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_in_the_query_is_taken_by_the_event_stream_only()
    {
        await GetAsync($"api/notes?token={Uri.EscapeDataString(Alice)}", null, HttpStatusCode.Unauthorized);
        await GetAsync($"api/clients?token={Uri.EscapeDataString(Alice)}", null, HttpStatusCode.Unauthorized);
        using var stream = await _web.Http.GetAsync($"api/events?token={Uri.EscapeDataString(Alice)}", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Write_posts_under_its_own_name_whatever_the_body_leaves_out_and_another_name_is_refused()
    {
        var stored = await PostAsync(Bob, """{"text":"no name given"}""");
        await PostAsync(Bob, """{"text":"its own name","name":"bob"}""");
        var refused = await PostAsync(Bob, """{"text":"posing","name":"alice"}""", HttpStatusCode.Forbidden);
        Assert.Contains("writes as 'bob' only", refused.GetProperty("error").GetString());
        var notes = (await GetAsync("api/notes", Alice)).GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(["no name given", "its own name"], notes.Select(n => n.GetProperty("text").GetString()));
        Assert.All(notes, n => Assert.Equal("bob", n.GetProperty("client").GetString()));
        Assert.All(notes, n => Assert.Equal("web", n.GetProperty("origin").GetString()));
        Assert.Equal(1, stored.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task None_is_a_403_for_everything_and_write_alone_may_post_but_not_read()
    {
        var carol = WebToken.Derive("carol", _carol);
        var dave = WebToken.Derive("dave", _dave);
        foreach (var url in new[] { "api/notes", "api/clients", "api/events" })
        {
            Assert.Contains("may not read", (await GetAsync(url, carol, HttpStatusCode.Forbidden)).GetProperty("error").GetString());
            await GetAsync(url, dave, HttpStatusCode.Forbidden);
        }
        Assert.Contains("may not write", (await PostAsync(carol, """{"text":"x"}""", HttpStatusCode.Forbidden)).GetProperty("error").GetString());
        await PostAsync(dave, """{"text":"from dave"}""");
        Assert.Equal(["dave"], Field(await GetAsync("api/notes", Alice), "notes", "client"));
    }

    [Fact]
    public async Task The_token_that_netjournal_token_prints_for_a_keygen_key_is_taken()
    {
        var config = Path.Combine(_folder, "config");
        string? Environment(string name) => name == "XDG_CONFIG_HOME" ? config : null;
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error, In = TextReader.Null, Environment = Environment };
        Assert.Equal(0, await CliApp.RunAsync(["keygen", "王五", "--rights", "write,read-own"], context, TestContext.Current.CancellationToken));
        var line = output.ToString().Trim();
        Assert.Contains("netjournal token", error.ToString());
        await ReloadAsync($"alice {_alice} write,read-all", line);

        output.GetStringBuilder().Clear();
        Assert.Equal(0, await CliApp.RunAsync(["token"], context, TestContext.Current.CancellationToken));
        var token = output.ToString().Trim();
        await PostAsync(token, """{"text":"你好 from the token"}""");
        var notes = await GetAsync("api/notes", token);
        Assert.Equal(["王五"], Field(notes, "notes", "client"));
        Assert.Equal(ClientKeyFile.Read(KeyFolder.FileOf("王五", Environment)).Key.ToString(), line.Split(' ')[1]);
    }
}
