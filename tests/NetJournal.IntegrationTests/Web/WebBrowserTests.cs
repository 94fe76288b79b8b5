using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NetJournal.IntegrationTests.Web;

/// <summary>
/// The page in a real headless browser: Debian's chromium driven by Playwright (its driver ships in the NuGet package;
/// no browser is downloaded), against `netjournal serve --http` as a real process.
/// </summary>
public sealed class WebBrowserTests
{
    /// <summary>The system's chromium (`apt-get install chromium`; .ci/run installs it).</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>The switches the browser runs with: headless, no sandbox (tests run as root), nothing fetched from the network.</summary>
    public static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>A browser with a fresh profile in <paramref name="userData"/>.</summary>
    public static Task<IBrowserContext> LaunchAsync(IPlaywright playwright, string userData) =>
        playwright.Chromium.LaunchPersistentContextAsync(userData, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
            ViewportSize = new ViewportSize { Width = 1280, Height = 760 },
            Locale = "en-GB",
            TimezoneId = "Asia/Shanghai",
        });

    private const string Script = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";

    [Fact]
    public async Task A_person_reads_filters_writes_and_follows_the_journal_live_in_a_browser()
    {
        if (!File.Exists(Chromium)) Assert.Skip($"{Chromium} is not installed (apt-get install chromium)");
        SetDefaultExpectTimeout(30_000);
        var data = TestServer.TempDirectory();
        var userData = Directory.CreateTempSubdirectory("netjournal-chromium-").FullName;
        try
        {
            await using var server = ServerProcess.Start(ServerProcess.DefaultCli, data, IPAddress.Loopback, 0, "--http", "0");
            await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            var address = await server.WebAddressAsync(TimeSpan.FromSeconds(30));
            await using (var alice = server.Client("alice"))
            {
                await alice.WriteAsync("hello 你好 🙂");
                await alice.WriteAsync("buy milk");
            }
            await using (var bob = server.Client("بوب"))
                await bob.WriteAsync("مرحبا بالعالم");
            await using (var mallory = server.Client("<b>mallory</b>"))
                await mallory.WriteAsync(Script);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright, userData);
            var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };

            // Open the page: the notes under a heading for their day, the clients, the chart.
            await page.GotoAsync(address.ToString());
            var rows = page.Locator("#notes tr");
            await Expect(rows).ToHaveCountAsync(4);
            await Expect(page.Locator("#notes h2.day")).ToHaveCountAsync(1);
            await Expect(rows.Nth(0).Locator("td.name")).ToHaveTextAsync("alice");
            await Expect(rows.Nth(0).Locator("td.text")).ToHaveTextAsync("hello 你好 🙂");
            await Expect(page.Locator("#clients tbody tr")).ToHaveCountAsync(3);
            Assert.True(await page.Locator("#chart rect").CountAsync() > 0);

            // Right-to-left text is laid out right to left in its own cell.
            var arabic = rows.Filter(new LocatorFilterOptions { HasText = "مرحبا" }).Locator("td.text");
            Assert.Equal("rtl", await arabic.EvaluateAsync<string>("e => getComputedStyle(e).direction"));

            // A note that is markup shows as its text, and nothing in it ran.
            var markup = rows.Nth(3);
            await Expect(markup.Locator("td.text")).ToHaveTextAsync(Script);
            await Expect(markup.Locator("td.name")).ToHaveTextAsync("<b>mallory</b>");
            Assert.Equal(0, await page.Locator("#notes script, #notes img, #notes b").CountAsync());
            Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));

            // Filter by client: the URL carries it, and a reload reads it back.
            await page.Locator("input[name=client]").FillAsync("alice");
            await page.Locator("#filters button[type=submit]").ClickAsync();
            await Expect(rows).ToHaveCountAsync(2);
            Assert.Contains("client=alice", page.Url);
            await page.ReloadAsync();
            await Expect(page.Locator("input[name=client]")).ToHaveValueAsync("alice");
            await Expect(rows).ToHaveCountAsync(2);
            await page.Locator("#clear").ClickAsync();
            await Expect(rows).ToHaveCountAsync(4);

            // Live: a note written in the page, and one written by `netjournal write`, appear as they are stored.
            await page.Locator("#live").CheckAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync("live");
            await page.Locator("#name").FillAsync("张三");
            await page.Locator("#text").FillAsync("written in the browser ✍️");
            await page.Locator("#write button").ClickAsync();
            await Expect(rows.Last.Locator("td.text")).ToHaveTextAsync("written in the browser ✍️");
            await Expect(rows.Last.Locator("td.name")).ToHaveTextAsync("张三");
            await Expect(page.Locator("#text")).ToHaveValueAsync("");

            var write = await Task.Run(() => Command.Run(["dotnet", ServerProcess.DefaultCli, "write", "-s", server.EndPoint.ToString(), "-n", "carol", "from the terminal, live"], timeoutMs: 60_000));
            Assert.True(write.Code == 0, write.Error);
            await Expect(rows.Last.Locator("td.text")).ToHaveTextAsync("from the terminal, live");
            await Expect(rows).ToHaveCountAsync(6);
            Assert.Equal("new", await rows.Last.GetAttributeAsync("class"));
            await Expect(page.Locator("#clients tbody tr")).ToHaveCountAsync(5);

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-view.png"), FullPage = true });

            // Nothing went wrong in the page so far.
            Assert.Empty(errors);

            // A refused note is said in the page, and nothing is added (the browser logs the 400 answer itself).
            await page.Locator("#text").FillAsync(new string('x', NetJournal.Protocol.ProtocolConstants.MaxNoteBytes + 1));
            await page.Locator("#write button").ClickAsync();
            await Expect(page.Locator("#write-error")).ToContainTextAsync("longer than");
            await Expect(rows).ToHaveCountAsync(6);
            await page.Locator("#text").FillAsync("");

            // The name is remembered by the browser, and the live toggle by the URL.
            await page.ReloadAsync();
            await Expect(page.Locator("#name")).ToHaveValueAsync("张三");
            await Expect(page.Locator("#live")).ToBeCheckedAsync();
            await Expect(rows).ToHaveCountAsync(6);
            Assert.All(errors, e => Assert.Contains("status of 400", e));
        }
        finally
        {
            try { Directory.Delete(userData, recursive: true); } catch (IOException) { }
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
