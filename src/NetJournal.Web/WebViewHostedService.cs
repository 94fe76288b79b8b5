using Microsoft.Extensions.Hosting;

namespace NetJournal.Web;

/// <summary>Runs a <see cref="WebView"/> for the host's lifetime; register it after the server's hosted service, so it starts after the server and stops before it.</summary>
public sealed class WebViewHostedService(WebView view) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => view.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => view.StopAsync();
}
