using System.Net;
using NetJournal.Client;
using NetJournal.Server;

namespace NetJournal.IntegrationTests;

/// <summary>A real server on a free loopback port with its journal in a temporary folder.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private TestServer(string directory, bool ownsDirectory, IPAddress bind, bool batchReceive = true, Action<JournalServerOptions>? configure = null)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        var options = new JournalServerOptions { Bind = bind, Port = 0, DataDirectory = directory, BatchReceive = batchReceive };
        configure?.Invoke(options);
        Server = new JournalServer(options);
        Server.Start();
    }

    public string Directory { get; }
    public JournalServer Server { get; }
    public IPEndPoint EndPoint => new(Server.LocalEndPoint.Address.Equals(IPAddress.IPv6Loopback) ? IPAddress.IPv6Loopback : IPAddress.Loopback, Server.LocalEndPoint.Port);
    public string Address => EndPoint.ToString();
    public string JournalPath => Path.Combine(Directory, "journal.jsonl");

    public static TestServer Start(string? directory = null, IPAddress? bind = null, bool batchReceive = true, Action<JournalServerOptions>? configure = null)
    {
        var dir = directory ?? TempDirectory();
        return new TestServer(dir, directory is null, bind ?? IPAddress.Loopback, batchReceive, configure);
    }

    /// <summary>Stops this server and starts another on the same journal (a new port).</summary>
    public async Task<TestServer> RestartAsync()
    {
        await Server.StopAsync();
        return new TestServer(Directory, _ownsDirectory, IPAddress.Loopback);
    }

    public JournalClient Client(string name, JournalClientOptions? options = null)
    {
        options ??= new JournalClientOptions();
        options.Name = name;
        return new JournalClient(EndPoint, options);
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "netjournal-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        if (_ownsDirectory)
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }
}
