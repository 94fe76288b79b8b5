using Microsoft.Extensions.Hosting;

namespace NetJournal.Server;

/// <summary>
/// Runs a JournalServer for the lifetime of the host: started before the host reports ready, stopped on Ctrl-C or
/// SIGTERM. When one of the server's loops fails (<see cref="JournalServer.Completion"/> faults) it stops the host, and
/// <see cref="Failed"/> tells the caller to exit non-zero: a server that cannot receive or store must not stay up deaf.
/// </summary>
public sealed class JournalHostedService(JournalServer server, IHostApplicationLifetime lifetime) : IHostedService
{
    private Task _watching = Task.CompletedTask;

    /// <summary>The server stopped because a loop failed (logged by the server as it happened).</summary>
    public bool Failed => server.Completion.IsFaulted;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        _watching = StopOnFaultAsync();
        return Task.CompletedTask;
    }

    private async Task StopOnFaultAsync()
    {
        try
        {
            await server.Completion.ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            lifetime.StopApplication();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await server.StopAsync().ConfigureAwait(false);
        // Completion has ended by now (stopped or faulted), so the watcher is done too.
        await _watching.ConfigureAwait(false);
    }
}
