using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace NetJournal.IntegrationTests.Web;

/// <summary>The web view's API against a real server and a real Kestrel on free loopback ports.</summary>
public sealed class WebApiTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static async Task<JsonElement> GetJsonAsync(WebTestServer web, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await web.Http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{url}: {(int)response.StatusCode} {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Texts(JsonElement answer) =>
        [.. answer.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("text").GetString()!)];

    /// <summary>alice (IPv4) writes a1, a2 on day 1; bob (IPv6) writes b1 "Grüße 你好" on day 1 and b2 on day 2; alice a3 on day 2.</summary>
    private static async Task<WebTestServer> JournalAsync()
    {
        var web = await WebTestServer.StartAsync();
        web.Clock.Set(Day1);
        await web.WriteAsync("alice", ["a1 milk", "a2 bread"]);
        await web.WriteAsync("bob", ["b1 Grüße 你好 🙂"], web.UdpV6);
        web.Clock.Set(Day2);
        await web.WriteAsync("bob", ["b2 MILK"], web.UdpV6);
        await web.WriteAsync("alice", ["a3 tea"]);
        return web;
    }

    [Fact]
    public async Task Notes_carry_the_fields_of_history_json_and_the_end_of_the_range()
    {
        await using var web = await JournalAsync();
        var answer = await GetJsonAsync(web, "api/notes");
        Assert.Equal(["a1 milk", "a2 bread", "b1 Grüße 你好 🙂", "b2 MILK", "a3 tea"], Texts(answer));
        var first = answer.GetProperty("notes")[0];
        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal("2026-11-24T10:00:00.000Z", first.GetProperty("time").GetString());
        Assert.Equal("alice", first.GetProperty("client").GetString());
        Assert.StartsWith("127.0.0.1:", first.GetProperty("address").GetString());
        Assert.False(first.TryGetProperty("origin", out _));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("next").ValueKind);
        Assert.Equal("5", answer.GetProperty("end").GetString());
    }

    [Fact]
    public async Task Every_filter_of_history_applies()
    {
        await using var web = await JournalAsync();
        Assert.Equal(["a1 milk", "a2 bread", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?client=alice")));
        Assert.Equal(["b1 Grüße 你好 🙂", "b2 MILK"], Texts(await GetJsonAsync(web, "api/notes?address=::1")));
        Assert.Equal(["a1 milk", "a2 bread", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?address=127.0.0.1")));
        Assert.Equal(["b2 MILK", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?since=2026-11-25")));
        Assert.Equal(["b2 MILK", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?since=2026-11-25T10:00:00Z")));
        Assert.Equal(["b2 MILK", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?since=2026-11-25T18:00:00%2B08:00")));
        Assert.Equal(["a1 milk", "a2 bread", "b1 Grüße 你好 🙂"], Texts(await GetJsonAsync(web, "api/notes?until=2026-11-24")));
        Assert.Equal(["a1 milk", "a2 bread", "b1 Grüße 你好 🙂"], Texts(await GetJsonAsync(web, "api/notes?until=2026-11-25T09:59:59")));
        Assert.Equal(["a1 milk", "a2 bread", "b1 Grüße 你好 🙂"], Texts(await GetJsonAsync(web, $"api/notes?until=@{Day2.ToUnixTimeSeconds()}")));
        Assert.Equal(["a1 milk", "b2 MILK"], Texts(await GetJsonAsync(web, "api/notes?grep=milk")));
        Assert.Equal(["b1 Grüße 你好 🙂"], Texts(await GetJsonAsync(web, "api/notes?grep=" + Uri.EscapeDataString("你好"))));
        Assert.Equal(["b2 MILK", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?last=2")));
        Assert.Equal(["a2 bread", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?client=alice&last=2")));
        Assert.Empty(Texts(await GetJsonAsync(web, "api/notes?last=0")));
        Assert.Equal(["a3 tea"], Texts(await GetJsonAsync(web, "api/notes?client=alice&since=2026-11-25&grep=TEA")));
        Assert.Equal(["b2 MILK", "a3 tea"], Texts(await GetJsonAsync(web, "api/notes?after=3")));
        Assert.Empty(Texts(await GetJsonAsync(web, "api/notes?client=nobody")));
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_every_note_once()
    {
        await using var web = await WebTestServer.StartAsync();
        await web.WriteAsync("pager", Enumerable.Range(1, 23).Select(i => $"note {i}"));
        await web.WriteAsync("other", ["not mine"]);
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var answer = await GetJsonAsync(web, "api/notes?client=pager&limit=5" + (after is null ? "" : $"&after={after}"));
            var texts = Texts(answer);
            Assert.True(texts.Count is > 0 and <= 5);
            seen.AddRange(texts);
            after = answer.GetProperty("next").GetString();
            pages++;
        } while (after is not null);
        Assert.Equal(5, pages);
        Assert.Equal(Enumerable.Range(1, 23).Select(i => $"note {i}"), seen);

        // last with paging: the latest 7, in pages of 3.
        var first = await GetJsonAsync(web, "api/notes?client=pager&last=7&limit=3");
        Assert.Equal(["note 17", "note 18", "note 19"], Texts(first));
        var second = await GetJsonAsync(web, $"api/notes?client=pager&last=7&limit=3&after={first.GetProperty("next").GetString()}");
        Assert.Equal(["note 20", "note 21", "note 22"], Texts(second));
    }

    [Fact]
    public async Task Clients_lists_every_writer_as_clients_json_does()
    {
        await using var web = await JournalAsync();
        var clients = (await GetJsonAsync(web, "api/clients")).GetProperty("clients").EnumerateArray().ToList();
        Assert.Equal(["alice", "bob"], clients.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([3L, 2L], clients.Select(c => c.GetProperty("notes").GetInt64()));
        Assert.Equal("2026-11-24T10:00:00.000Z", clients[0].GetProperty("first").GetString());
        Assert.Equal("2026-11-25T10:00:00.000Z", clients[0].GetProperty("last").GetString());
        Assert.StartsWith("[::1]:", clients[1].GetProperty("lastAddress").GetString());
    }

    [Theory]
    [InlineData("since=yesterday-ish", "since: 'yesterday-ish' is not valid")]
    [InlineData("until=2026-02-30", "until: '2026-02-30' is not valid")]
    [InlineData("last=-1", "last: '-1' is not valid")]
    [InlineData("after=x", "after: 'x' is not valid")]
    [InlineData("limit=0", "limit: '0' is not valid")]
    [InlineData("limit=5001", "limit: '5001' is not valid")]
    [InlineData("address=notanip", "address: 'notanip' is not valid; give an IP address or IP:PORT")]
    [InlineData("address=127.0.0.1:99999", "address: '127.0.0.1:99999' is not valid")]
    [InlineData("address=10.1", "address: '10.1' is not valid")]
    public async Task A_bad_query_is_a_400_saying_which_parameter(string query, string error)
    {
        await using var web = await WebTestServer.StartAsync();
        var answer = await GetJsonAsync(web, $"api/notes?{query}", HttpStatusCode.BadRequest);
        Assert.StartsWith(error, answer.GetProperty("error").GetString());
        await GetJsonAsync(web, $"api/events?{query}", HttpStatusCode.BadRequest);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(WebTestServer web, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await web.Http.PostAsync("api/notes", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_posted_note_is_stored_with_origin_web_and_answered_with_its_seq()
    {
        await using var web = await WebTestServer.StartAsync();
        await web.WriteAsync("alice", ["before"]);
        var (status, body) = await PostAsync(web, """{"text":"مرحبا from the page 🙂","name":"王五"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(2, body.GetProperty("seq").GetInt64());
        var note = (await GetJsonAsync(web, "api/notes?after=1")).GetProperty("notes")[0];
        Assert.Equal("مرحبا from the page 🙂", note.GetProperty("text").GetString());
        Assert.Equal("王五", note.GetProperty("client").GetString());
        Assert.Equal("web", note.GetProperty("origin").GetString());
        Assert.StartsWith("127.0.0.1:", note.GetProperty("address").GetString());
        Assert.Equal(body.GetProperty("time").GetString(), note.GetProperty("time").GetString());
        // Durable: it is in the journal file, as its line.
        Assert.Contains("\"origin\":\"web\"", await File.ReadAllTextAsync(Path.Combine(web.Directory, "journal.jsonl")));
    }

    [Theory]
    [InlineData("""{"text":"","name":"a"}""", "the note is empty")]
    [InlineData("""{"text":"one\ntwo","name":"a"}""", "the note holds a line break")]
    [InlineData("""{"text":"ok","name":""}""", "name: the client name must be")]
    [InlineData("""{"text":"ok","name":"a\nb"}""", "name: the client name must be")]
    [InlineData("""{"text":"ok"}""", "the note needs a name")]
    [InlineData("""{"name":"a"}""", "the note needs \"text\"")]
    [InlineData("""{"text":5,"name":"a"}""", "\"text\" must be a string")]
    [InlineData("""["text"]""", "the body must be a JSON object")]
    [InlineData("""{"text":"ok","name":"a" """, "the body is not valid JSON")]
    [InlineData("", "the body is not valid JSON")]
    public async Task A_bad_post_is_a_400_in_the_journals_words_and_nothing_is_stored(string body, string error)
    {
        await using var web = await WebTestServer.StartAsync();
        var (status, answer) = await PostAsync(web, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(error, answer.GetProperty("error").GetString());
        Assert.Equal(0, web.Server.Store.NoteCount);
        // The server keeps serving.
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(web, """{"text":"after","name":"a"}""")).Status);
    }

    [Theory]
    [InlineData("{\"text\":\"lone \\ud800 surrogate\",\"name\":\"a\"}")]
    [InlineData("{\"text\":\"ok\",\"name\":\"\\udfff\"}")]
    [InlineData("{\"text\":\"bad \xff\xfe utf8\",\"name\":\"a\"}")]
    public async Task A_post_whose_text_cannot_be_decoded_is_a_400_and_nothing_is_stored(string latin1Body)
    {
        await using var web = await WebTestServer.StartAsync();
        // Sent byte for byte (\xff stays the byte 0xFF): the body is not UTF-8, or escapes a lone surrogate.
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(latin1Body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await web.Http.PostAsync("api/notes", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.StartsWith("the body's strings must be text", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        Assert.Equal(0, web.Server.Store.NoteCount);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(web, """{"text":"after","name":"a"}""")).Status);
    }

    [Theory]
    [InlineData("GET", "api/nothing-here", HttpStatusCode.NotFound, "no such API")]
    [InlineData("POST", "api/notes/1", HttpStatusCode.NotFound, "no such API")]
    [InlineData("PUT", "api/notes", HttpStatusCode.MethodNotAllowed, "PUT is not")]
    [InlineData("DELETE", "api/notes", HttpStatusCode.MethodNotAllowed, "DELETE is not")]
    [InlineData("DELETE", "api/clients", HttpStatusCode.MethodNotAllowed, "DELETE is not")]
    public async Task Every_refusal_on_the_api_has_a_json_error(string method, string url, HttpStatusCode expected, string error)
    {
        await using var web = await WebTestServer.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        using var response = await web.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: {(int)response.StatusCode} {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Contains(error, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_note_too_long_or_not_json_is_refused()
    {
        await using var web = await WebTestServer.StartAsync();
        var tooLong = new string('x', NetJournal.Protocol.ProtocolConstants.MaxNoteBytes + 1);
        var (status, answer) = await PostAsync(web, JsonSerializer.Serialize(new { text = tooLong, name = "a" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("the note is longer than", answer.GetProperty("error").GetString());
        (status, answer) = await PostAsync(web, "text=hello&name=a", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("JSON", answer.GetProperty("error").GetString());
        Assert.Equal(0, web.Server.Store.NoteCount);
    }

    [Fact]
    public async Task The_page_and_its_script_are_served_from_the_assembly_with_a_strict_policy()
    {
        await using var web = await WebTestServer.StartAsync();
        using var page = await web.Http.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<script src=\"app.js\"", await page.Content.ReadAsStringAsync());
        var script = await web.Http.GetStringAsync("app.js");
        Assert.Contains("textContent", script);
        Assert.DoesNotContain("innerHTML", script);
    }

    /// <summary>Reads events of an open stream until <paramref name="count"/> have come (90 s at most).</summary>
    private static async Task<List<SseItem<string>>> ReadEventsAsync(IAsyncEnumerator<SseItem<string>> events, int count)
    {
        var items = new List<SseItem<string>>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (items.Count < count)
        {
            Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token), "the stream ended");
            items.Add(events.Current);
        }
        return items;
    }

    private static async Task<(HttpResponseMessage Response, IAsyncEnumerator<SseItem<string>> Events)> OpenAsync(WebTestServer web, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await web.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = await response.Content.ReadAsStreamAsync();
        return (response, SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator());
    }

    private static ulong Seq(SseItem<string> item)
    {
        var seq = JsonDocument.Parse(item.Data).RootElement.GetProperty("seq").GetUInt64();
        Assert.Equal(seq.ToString(System.Globalization.CultureInfo.InvariantCulture), item.EventId);
        return seq;
    }

    [Fact]
    public async Task Events_resume_strictly_after_Last_Event_ID_or_after_with_no_note_missed_or_doubled_while_notes_are_being_written()
    {
        await using var web = await WebTestServer.StartAsync();
        await web.WriteAsync("w", Enumerable.Range(1, 300).Select(i => $"early {i}"));
        // A writer keeps storing notes while streams open: each stream switches from history to live mid-flight.
        const int Total = 700;
        var writing = Task.Run(() => web.WriteChunksAsync("w", [.. Enumerable.Range(301, Total - 300).Select(i => $"late {i}")], 20));

        var (r1, byHeader) = await OpenAsync(web, "api/events?after=0", lastEventId: "100");
        var (r2, byQuery) = await OpenAsync(web, "api/events?after=250");
        using (r1)
        using (r2)
        {
            var fromHeader = (await ReadEventsAsync(byHeader, Total - 100)).Select(Seq).ToList();
            var fromQuery = (await ReadEventsAsync(byQuery, Total - 250)).Select(Seq).ToList();
            await writing;
            Assert.Equal(Enumerable.Range(101, Total - 100).Select(i => (ulong)i), fromHeader);
            Assert.Equal(Enumerable.Range(251, Total - 250).Select(i => (ulong)i), fromQuery);
        }

        // A reconnect after the last event gets only what is stored after it.
        var (r3, again) = await OpenAsync(web, "api/events", lastEventId: Total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (r3)
        {
            await web.WriteAsync("w", ["after the reconnect"]);
            var next = await ReadEventsAsync(again, 1);
            Assert.Equal((ulong)Total + 1, Seq(next[0]));
        }
    }

    [Fact]
    public async Task Events_without_a_cursor_start_with_the_next_note_and_apply_the_filters()
    {
        await using var web = await WebTestServer.StartAsync();
        await web.WriteAsync("alice", ["old"]);
        var (response, events) = await OpenAsync(web, "api/events?client=bob&grep=KEEP");
        using (response)
        {
            await web.WriteAsync("alice", ["alice keep"]);
            await web.WriteAsync("bob", ["bob drop", "bob keep 1"]);
            var (status, _) = await PostAsync(web, """{"text":"bob keep 2 from the page","name":"bob"}""");
            Assert.Equal(HttpStatusCode.Created, status);
            var items = await ReadEventsAsync(events, 2);
            var notes = items.Select(i => JsonDocument.Parse(i.Data).RootElement).ToList();
            Assert.Equal(["bob keep 1", "bob keep 2 from the page"], notes.Select(n => n.GetProperty("text").GetString()));
            Assert.Equal("web", notes[1].GetProperty("origin").GetString());
        }
    }

    [Fact]
    public async Task A_quiet_stream_sends_keep_alive_comments()
    {
        await using var web = await WebTestServer.StartAsync(keepAlive: TimeSpan.FromMilliseconds(100));
        using var response = await web.Http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var comments = 0;
        while (comments < 2)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line == ": keep-alive") comments++;
        }
        Assert.Equal(2, comments);
    }
}
