using System.Net;
using NetJournal.Server;
using NetJournal.Web;

namespace NetJournal.IntegrationTests.Web;

/// <summary>
/// A real server on a free loopback UDP port with its web view on a free loopback TCP port (Kestrel), its journal in a
/// temporary folder, and an HttpClient for the web view. The clock may be set (<see cref="Clock"/>) to give notes chosen days.
/// </summary>
public sealed class WebTestServer : IAsyncDisposable
{
    private WebTestServer(string directory, TimeSpan? keepAlive, int subscriptionCapacity, string? clientsFile)
    {
        Directory = directory;
        Feed = new NoteFeed();
        var options = new JournalServerOptions { Bind = IPAddress.IPv6Any, Port = 0, DataDirectory = directory, ClientsFile = clientsFile };
        options.CommitListeners.Add(Feed);
        Server = new JournalServer(options, time: Clock);
        Server.Start();
        View = new WebView(Server, Feed, new WebViewOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            KeepAliveInterval = keepAlive ?? TimeSpan.FromSeconds(15),
            SubscriptionCapacity = subscriptionCapacity,
            // Keys on as `serve --clients --http` wires them: each request against the clients file as it reads now.
            Access = clientsFile is null ? OpenWebAccess.Instance : new KeyedWebAccess(name => Server.Clients?.File.FindByName(name)),
        });
    }

    public string Directory { get; }
    public ManualClock Clock { get; } = new();
    public NoteFeed Feed { get; }
    public JournalServer Server { get; }
    public WebView View { get; }
    public HttpClient Http { get; private set; } = new();

    /// <summary>The UDP endpoint over IPv4 loopback.</summary>
    public IPEndPoint UdpV4 => new(IPAddress.Loopback, Server.LocalEndPoint.Port);

    /// <summary>The UDP endpoint over IPv6 loopback: notes from there have another address than those from <see cref="UdpV4"/>.</summary>
    public IPEndPoint UdpV6 => new(IPAddress.IPv6Loopback, Server.LocalEndPoint.Port);

    /// <summary>Starts a server and its web view; with <paramref name="clientsFile"/>, keys are on for both.</summary>
    public static async Task<WebTestServer> StartAsync(TimeSpan? keepAlive = null, int subscriptionCapacity = 10_000, string? clientsFile = null)
    {
        var server = new WebTestServer(TestServer.TempDirectory(), keepAlive, subscriptionCapacity, clientsFile);
        await server.View.StartAsync();
        server.Http = new HttpClient { BaseAddress = server.View.Address, Timeout = TimeSpan.FromSeconds(30) };
        return server;
    }

    /// <summary>Writes notes over UDP as <paramref name="name"/> from <paramref name="server"/> (default IPv4), each acknowledged.</summary>
    public async Task WriteAsync(string name, IEnumerable<string> notes, IPEndPoint? server = null)
    {
        await using var client = new NetJournal.Client.JournalClient(server ?? UdpV4, new NetJournal.Client.JournalClientOptions { Name = name });
        foreach (var note in notes)
        {
            var outcome = await client.WriteAsync(note);
            Assert.Equal(NetJournal.Protocol.NoteStatus.Stored, outcome.Status);
        }
    }

    /// <summary>Writes notes over UDP as <paramref name="name"/>, <paramref name="chunk"/> at a time pipelined, every one acknowledged.</summary>
    public async Task WriteChunksAsync(string name, IReadOnlyList<string> notes, int chunk)
    {
        await using var client = new NetJournal.Client.JournalClient(UdpV4, new NetJournal.Client.JournalClientOptions { Name = name });
        for (var at = 0; at < notes.Count; at += chunk)
        {
            var summary = await client.WriteAsync(notes.Skip(at).Take(chunk).ToAsyncEnumerable());
            Assert.Equal(Math.Min(chunk, notes.Count - at), summary.Stored);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await View.DisposeAsync();
        await Server.StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A wall clock the test moves by hand; it never goes back (nor does the journal's).</summary>
    public sealed class ManualClock : TimeProvider
    {
        private long _nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _nowMs, now.ToUnixTimeMilliseconds());

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _nowMs));
    }
}
