using Microsoft.Extensions.Hosting;

namespace NetJournal.Server;

/// <summary>Runs a JournalServer for the lifetime of the host: started before the host reports ready, stopped on Ctrl-C or SIGTERM.</summary>
public sealed class JournalHostedService(JournalServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync();
}
