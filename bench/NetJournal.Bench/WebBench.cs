using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using NetJournal.Bench.Infra;

namespace NetJournal.Bench;

/// <summary>The web view's figures: events a reader receives per second, and the delay from acknowledgement to a reader.</summary>
internal sealed record WebResult(
    int Notes, double WriteSeconds, double WriteNotesPerSecond, int LiveEventsReceived, double LiveEventsPerSecond,
    int CatchUpEventsReceived, double CatchUpEventsPerSecond, int Rounds, string DelayReader, double PageClockOffsetMs,
    LatencySummary BrowserDelay, LatencySummary SseDelay, LatencySummary WriteToBrowser, LatencySummary WriteToSse);

/// <summary>
/// `web [N] [R]`: one `netjournal serve --http 0 --rate-limit 0`. Throughput: a .NET Server-Sent Events reader (SseParser)
/// on /api/events while one pipelined client writes N notes of 100 bytes (default 100,000): events a second between
/// the first and the last event; then a second reader resuming with after=0, reading all N from history. Delay: R rounds
/// (default 200) of one note written and acknowledged, then the time until it reaches the page in the system's chromium
/// (headless, Playwright; the page stamps each row with its arrival, performance.timeOrigin + performance.now()) and a
/// .NET reader of the same stream, each against the moment the writer had its acknowledgement, and against the moment
/// it started the write. The page's clock is set against this process's (UtcNow) first: the offset of the sample with
/// the shortest round trip of 50 (its uncertainty is half that round trip). Every wait is bounded (120 s).
/// </summary>
internal static class WebBench
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    public static async Task<WebResult> RunAsync(int notes, int rounds)
    {
        var dir = RepoPaths.NewTempDirectory("web");
        try
        {
            await using var server = ServerProcess.Start(RepoPaths.BuiltCliDll, dir, IPAddress.Loopback, 0, "--rate-limit", "0", "--http", "0");
            await server.WaitUntilListeningAsync(TimeSpan.FromMinutes(1));
            var address = await server.WebAddressAsync(TimeSpan.FromSeconds(30));
            using var http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
            Console.Error.WriteLine($"web: server on {server.EndPoint}, web view on {address}");

            // Live: a reader on the stream while the notes are written.
            var text = new string('x', 90);
            using var live = await OpenAsync(http, "api/events");
            var liveReading = CountAsync(live.Events, notes);
            var watch = Stopwatch.StartNew();
            await using (var writer = server.Client("bench", Bound))
            {
                var summary = await writer.WriteAsync(Lines(notes, text)).WaitAsync(Bound);
                if (summary.Stored != notes) throw new InvalidOperationException($"only {summary.Stored} of {notes} notes were stored");
            }
            var writeSeconds = watch.Elapsed.TotalSeconds;
            var (liveCount, liveSeconds) = await liveReading;
            Console.Error.WriteLine($"web: wrote {notes:N0} notes in {writeSeconds:F2} s ({notes / writeSeconds:N0}/s); the live reader got {liveCount:N0} at {(liveCount - 1) / liveSeconds:N0}/s");

            // Catch-up: a reader resuming from the start reads every note from history.
            using var catchUp = await OpenAsync(http, "api/events?after=0");
            var (catchUpCount, catchUpSeconds) = await CountAsync(catchUp.Events, notes, fromOpen: catchUp.Opened);
            Console.Error.WriteLine($"web: a reader resuming after 0 got {catchUpCount:N0} in {catchUpSeconds:F2} s ({catchUpCount / catchUpSeconds:N0}/s)");
            live.Dispose();
            catchUp.Dispose();

            var (readerName, offset, browser, sse, writeToBrowser, writeToSse) = await DelayAsync(server, http, address, rounds);
            Console.Error.WriteLine($"web: acknowledgement to {readerName}: median {browser.MedianMs:F2} ms, p90 {browser.P90Ms:F2} ms, max {browser.MaxMs:F2} ms; to a .NET reader: median {sse.MedianMs:F2} ms, p90 {sse.P90Ms:F2} ms");
            Console.Error.WriteLine($"web: write started to {readerName}: median {writeToBrowser.MedianMs:F2} ms, p90 {writeToBrowser.P90Ms:F2} ms; to a .NET reader: median {writeToSse.MedianMs:F2} ms, p90 {writeToSse.P90Ms:F2} ms");
            await server.StopAsync(TimeSpan.FromSeconds(30));
            return new WebResult(notes, writeSeconds, notes / writeSeconds, liveCount, (liveCount - 1) / liveSeconds,
                catchUpCount, catchUpCount / catchUpSeconds, rounds, readerName, offset, browser, sse, writeToBrowser, writeToSse);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    private static async IAsyncEnumerable<string> Lines(int count, string text)
    {
        for (var i = 0; i < count; i++) yield return $"{i:D9} {text}";
        await Task.CompletedTask;
    }

    private sealed class OpenStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events, Stopwatch opened) : IDisposable
    {
        public IAsyncEnumerator<SseItem<string>> Events => events;
        public Stopwatch Opened => opened;
        public void Dispose() => response.Dispose();
    }

    private static async Task<OpenStream> OpenAsync(HttpClient http, string url)
    {
        var opened = Stopwatch.StartNew();
        var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync();
        return new OpenStream(response, SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator(), opened);
    }

    /// <summary>Reads until <paramref name="count"/> events or the bound; the events and the seconds from the first (or from opening) to the last.</summary>
    private static async Task<(int Count, double Seconds)> CountAsync(IAsyncEnumerator<SseItem<string>> events, int count, Stopwatch? fromOpen = null)
    {
        using var bound = new CancellationTokenSource(Bound);
        var received = 0;
        Stopwatch? sinceFirst = null;
        try
        {
            while (received < count && await events.MoveNextAsync().AsTask().WaitAsync(bound.Token))
            {
                sinceFirst ??= Stopwatch.StartNew();
                received++;
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"web: a reader stopped at the bound with {received:N0} of {count:N0} events");
        }
        var seconds = (fromOpen ?? sinceFirst)?.Elapsed.TotalSeconds ?? double.NaN;
        return (received, seconds);
    }

    private static double NowMs() => DateTime.UtcNow.Ticks / (double)TimeSpan.TicksPerMillisecond - DateTime.UnixEpoch.Ticks / (double)TimeSpan.TicksPerMillisecond;

    /// <summary>The delay rounds: the page in chromium when it is installed (else none), and a .NET reader alongside.</summary>
    private static async Task<(string Reader, double PageClockOffsetMs, LatencySummary Browser, LatencySummary Sse, LatencySummary WriteToBrowser, LatencySummary WriteToSse)> DelayAsync(ServerProcess server, HttpClient http, Uri address, int rounds)
    {
        const string Chromium = "/usr/bin/chromium";
        var hasBrowser = File.Exists(Chromium);
        if (!hasBrowser) Console.Error.WriteLine($"web: {Chromium} is missing: the delay is measured with the .NET reader only");
        var userData = Directory.CreateTempSubdirectory("netjournal-bench-chromium-").FullName;
        try
        {
            using var playwright = hasBrowser ? await Playwright.CreateAsync() : null;
            await using var context = playwright is null ? null : await playwright.Chromium.LaunchPersistentContextAsync(userData, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            IPage? page = null;
            var offset = 0.0;
            if (context is not null)
            {
                page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
                // The latest 100 notes and live: the page as a person would leave it open.
                await page.GotoAsync(new Uri(address, "?last=100&live=1").ToString());
                await page.Locator("#status").Filter(new LocatorFilterOptions { HasText = "live" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
                var best = double.MaxValue;
                for (var i = 0; i < 50; i++)
                {
                    var before = NowMs();
                    var pageNow = await page.EvaluateAsync<double>("() => performance.timeOrigin + performance.now()");
                    var after = NowMs();
                    if (after - before >= best) continue;
                    best = after - before;
                    offset = pageNow - (before + after) / 2;
                }
                Console.Error.WriteLine($"web: the page's clock is {offset:F2} ms ahead of this process's (± {best / 2:F2} ms)");
            }

            // The .NET reader notes when each seq arrived.
            var arrivals = new System.Collections.Concurrent.ConcurrentDictionary<ulong, TaskCompletionSource<double>>();
            TaskCompletionSource<double> Arrival(ulong seq) => arrivals.GetOrAdd(seq, _ => new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously));
            using var stream = await OpenAsync(http, "api/events");
            using var stop = new CancellationTokenSource();
            var reading = Task.Run(async () =>
            {
                try
                {
                    while (await stream.Events.MoveNextAsync().AsTask().WaitAsync(stop.Token))
                    {
                        var at = NowMs();
                        Arrival(ulong.Parse(stream.Events.Current.EventId!, System.Globalization.CultureInfo.InvariantCulture)).TrySetResult(at);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });

            var browserDelays = new List<double>();
            var sseDelays = new List<double>();
            var writeToBrowser = new List<double>();
            var writeToSse = new List<double>();
            await using var writer = server.Client("typist", Bound);
            for (var round = 0; round < rounds + 10; round++)
            {
                var sentMs = NowMs();
                var outcome = await writer.WriteAsync($"round {round} 你好 🙂").WaitAsync(Bound);
                var ackMs = NowMs();
                var sseMs = await Arrival(outcome.Seq).Task.WaitAsync(Bound);
                double? pageMs = null;
                if (page is not null)
                {
                    var row = page.Locator($"#notes tr[data-seq=\"{outcome.Seq}\"]");
                    await row.WaitForAsync(new LocatorWaitForOptions { Timeout = (float)Bound.TotalMilliseconds, State = WaitForSelectorState.Attached });
                    pageMs = double.Parse((await row.GetAttributeAsync("data-arrived"))!, System.Globalization.CultureInfo.InvariantCulture) - offset;
                }
                // The first 10 rounds warm both sides up and are not counted.
                if (round >= 10)
                {
                    sseDelays.Add(sseMs - ackMs);
                    writeToSse.Add(sseMs - sentMs);
                    if (pageMs is { } p)
                    {
                        browserDelays.Add(p - ackMs);
                        writeToBrowser.Add(p - sentMs);
                    }
                }
                await Task.Delay(20);
            }
            await stop.CancelAsync();
            await reading;
            return (page is null ? "none (no chromium)" : "chromium page", offset, LatencySummary.Of(browserDelays), LatencySummary.Of(sseDelays),
                LatencySummary.Of(writeToBrowser), LatencySummary.Of(writeToSse));
        }
        finally
        {
            RepoPaths.DeleteQuietly(userData);
        }
    }
}
