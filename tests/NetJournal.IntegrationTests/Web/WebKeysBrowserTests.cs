using System.Net;
using Microsoft.Playwright;
using NetJournal.Client;
using NetJournal.Protocol.Sealing;
using static Microsoft.Playwright.Assertions;

namespace NetJournal.IntegrationTests.Web;

/// <summary>
/// The page of a keyed journal (`netjournal serve --clients FILE --http`) in Debian's chromium through Playwright: it
/// asks for the token, takes the one `netjournal token` prints, and then shows and streams only what that key may read.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WebKeysBrowserTests
{
    private static JournalClient Keyed(IPEndPoint server, ClientKey key, string name) =>
        new(server, new SealedDatagramTransport(new UdpDatagramTransport(server), key), new JournalClientOptions { Name = name, GiveUpAfter = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task The_page_asks_for_the_token_and_then_shows_what_that_key_may_read()
    {
        if (!File.Exists(WebBrowserTests.Chromium)) Assert.Skip($"{WebBrowserTests.Chromium} is not installed (apt-get install chromium)");
        SetDefaultExpectTimeout(30_000);
        var folder = TestServer.TempDirectory();
        var userData = Directory.CreateTempSubdirectory("netjournal-chromium-").FullName;
        try
        {
            var alice = ClientKey.Generate();
            var bob = ClientKey.Generate();
            var aliceKeyFile = Path.Combine(folder, "alice.key");
            ClientKeyFile.Write(aliceKeyFile, "alice", alice);
            var clients = Path.Combine(folder, "clients");
            File.WriteAllText(clients, $"alice {alice} write,read-own\nbob {bob} write,read-all\n");
            File.SetUnixFileMode(clients, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            await using var server = ServerProcess.Start(ServerProcess.DefaultCli, Path.Combine(folder, "data"), IPAddress.Loopback, 0, "--clients", clients, "--http", "0");
            await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            var address = await server.WebAddressAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("the web view takes keys", server.Log);
            await using (var a = Keyed(server.EndPoint, alice, "alice")) await a.WriteAsync("alice's own note 你好");
            await using (var b = Keyed(server.EndPoint, bob, "bob")) await b.WriteAsync("bob's note");
            var token = Command.Run(["dotnet", ServerProcess.DefaultCli, "token", "--key", aliceKeyFile], timeoutMs: 60_000);
            Assert.True(token.Code == 0, token.Error);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await WebBrowserTests.LaunchAsync(playwright, userData);
            var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };

            // Without a token: the box asks for one, and no note is shown.
            await page.GotoAsync(address.ToString());
            await Expect(page.Locator("#token-form")).ToBeVisibleAsync();
            await Expect(page.Locator("#token-form")).ToContainTextAsync("netjournal token");
            await Expect(page.Locator("#token-why")).ToBeEmptyAsync();
            await Expect(page.Locator("#notes tr")).ToHaveCountAsync(0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-view-token.png") });

            // A mistyped token is refused, and the box says so.
            await page.Locator("#token").FillAsync(token.Out.Trim()[..^2]);
            await page.Locator("#token-form button[type=submit]").ClickAsync();
            await Expect(page.Locator("#token-why")).ToContainTextAsync("not one of this server's clients");
            await Expect(page.Locator("#token-form")).ToBeVisibleAsync();

            // Pasted: alice (read-own) sees her note only, and writes as herself.
            await page.Locator("#token").FillAsync(token.Out.Trim());
            await page.Locator("#token-form button[type=submit]").ClickAsync();
            await Expect(page.Locator("#token-form")).ToBeHiddenAsync();
            var rows = page.Locator("#notes tr");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.Nth(0).Locator("td.text")).ToHaveTextAsync("alice's own note 你好");
            await Expect(page.Locator("#clients tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#who")).ToHaveTextAsync("as alice");
            await Expect(page.Locator("#name")).ToHaveValueAsync("alice");
            Assert.False(await page.Locator("#name").IsEditableAsync());

            // Live through the event stream (its token in the URL): bob's new note is not hers, her own arrives.
            await page.Locator("#live").CheckAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync("live");
            await using (var b = Keyed(server.EndPoint, bob, "bob")) await b.WriteAsync("bob, live, not for alice");
            await page.Locator("#text").FillAsync("written in the browser with a key");
            await page.Locator("#write button").ClickAsync();
            await Expect(rows.Last.Locator("td.text")).ToHaveTextAsync("written in the browser with a key");
            await Expect(rows.Last.Locator("td.name")).ToHaveTextAsync("alice");
            await Expect(rows).ToHaveCountAsync(2);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-view-keys.png"), FullPage = true });

            // The token lasts for the tab across a reload, until forgotten.
            await page.ReloadAsync();
            await Expect(rows).ToHaveCountAsync(2);
            await page.Locator("#forget").ClickAsync();
            await Expect(page.Locator("#token-form")).ToBeVisibleAsync();
            await Expect(rows).ToHaveCountAsync(0);
            Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('netjournal.token')"));

            // The server never logs the token (nor its MAC alone).
            var mac = token.Out.Trim()[(token.Out.Trim().LastIndexOf('.') + 1)..];
            Assert.DoesNotContain(mac, server.Log, StringComparison.Ordinal);

            // Only the refused requests were errors (the browser logs a 401 answer itself).
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Contains("status of 401", e));
        }
        finally
        {
            try { Directory.Delete(userData, recursive: true); } catch (IOException) { }
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
