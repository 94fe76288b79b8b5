using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetJournal.Server;

namespace NetJournal.Web;

/// <summary>
/// The web view of a running <see cref="JournalServer"/>: Kestrel with the page, the API and the event stream, in the
/// server's process. The <see cref="NoteFeed"/> given must be among the server's commit listeners
/// (<see cref="JournalServerOptions.CommitListeners"/>), so the event stream sees every note. Start after the server
/// has started; stop before it stops.
/// </summary>
public sealed class WebView(JournalServer server, NoteFeed feed, WebViewOptions options, ILoggerFactory? loggerFactory = null) : IAsyncDisposable
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WebView>();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    /// <summary>The page's address once started, such as http://127.0.0.1:8080/.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Binds and starts serving.</summary>
    /// <exception cref="IOException">The address cannot be bound (in use, not on this machine); the message says which.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebView).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        if (loggerFactory is not null) builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.EndPoint);
        });
        var app = builder.Build();
        PageAssets.Map(app);
        new WebEndpoints(server, options.Access).Map(app);
        new EventStream(server, feed, options.Access, options, _stopping.Token).Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            // Kestrel says a taken port with an AddressInUseException inside its IOException.
            var why = e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ? "the port is already in use" : e.Message;
            throw new IOException($"cannot serve the web view on {options.EndPoint}: {why}", e);
        }
        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = new Uri((bound ?? $"http://{options.EndPoint}") + "/");
        // How it is guarded is said before where it is, so that whoever reads the address has read that too.
        var loopback = System.Net.IPAddress.IsLoopback(options.EndPoint.Address);
        if (options.Access is KeyedWebAccess)
        {
            WebLog.KeysOn(_logger);
            if (!loopback) WebLog.KeyedInClear(_logger, options.EndPoint.ToString());
        }
        else if (!loopback && options.Access is OpenWebAccess)
        {
            WebLog.OpenToNetwork(_logger, options.EndPoint.ToString());
        }
        WebLog.Started(_logger, Address.ToString());
    }

    /// <summary>Ends the event streams, then stops Kestrel (requests in progress get a few seconds).</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app) return;
        _app = null;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
