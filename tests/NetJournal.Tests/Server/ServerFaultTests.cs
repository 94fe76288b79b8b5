using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;
using NetJournal.Testing;

namespace NetJournal.Tests.Server;

/// <summary>A fault in a server loop, injected through the store or a listener, faults the server and stops its host.</summary>
public class ServerFaultTests
{
    private sealed class ThrowingListener : ICommitListener
    {
        public void OnCommitted(ReadOnlySpan<CommittedNote> notes) => throw new InjectedFaultException("listener bug");
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static JournalServerOptions Options(IJournalStore store) =>
        new() { Bind = IPAddress.Loopback, Port = 0, OpenStore = _ => store, DataDirectory = "/nonexistent" };

    private static AppendRequest Append() => AppendRequest.FromTexts(7, 1, "ana", ["note"]);

    private static async Task<InvalidOperationException> FaultOf(JournalServer server) =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.Completion.WaitAsync(Patience));

    [Fact]
    public async Task A_store_whose_commit_throws_faults_the_commit_loop_and_the_server_still_stops_and_closes_the_store()
    {
        var store = new FaultyStore(onCommit: new InjectedFaultException("store bug"));
        var server = new JournalServer(Options(store));
        server.Start();
        using (var probe = new LoopbackProbe(server.LocalEndPoint.Port)) probe.Send(Append());

        var fault = await FaultOf(server);
        Assert.Contains("commit loop", fault.Message, StringComparison.Ordinal);
        Assert.IsType<InjectedFaultException>(fault.InnerException);
        await server.StopAsync().WaitAsync(Patience);
        Assert.True(store.Disposed);
    }

    [Fact]
    public async Task A_listener_that_throws_faults_the_server_after_the_notes_were_stored_and_acknowledged()
    {
        var store = new MemoryJournalStore();
        var options = Options(store);
        options.CommitListeners.Add(new ThrowingListener());
        var server = new JournalServer(options);
        server.Start();
        using (var probe = new LoopbackProbe(server.LocalEndPoint.Port))
            Assert.Equal([NoteResult.Stored(1)], probe.Ask<AppendAck>(Append()).Results);

        Assert.IsType<InjectedFaultException>((await FaultOf(server)).InnerException);
        Assert.Equal(1, store.NoteCount);
        await server.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_store_whose_count_throws_faults_the_query_loop()
    {
        var server = new JournalServer(Options(new FaultyStore(onCount: new NullReferenceException("index bug"))));
        server.Start();
        using (var probe = new LoopbackProbe(server.LocalEndPoint.Port))
            probe.Send(new CountRequest(1, ReadOnlyMemory<byte>.Empty, 0, HistoryFilter.None));

        var fault = await FaultOf(server);
        Assert.Contains("query loop", fault.Message, StringComparison.Ordinal);
        await server.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_server_stopped_normally_completes_its_completion()
    {
        var server = new JournalServer(Options(new MemoryJournalStore()));
        server.Start();
        Assert.False(server.Completion.IsCompleted);
        await server.StopAsync();
        Assert.True(server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task The_hosted_service_stops_its_host_when_the_server_faults_and_reports_the_failure()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(Options(new FaultyStore(onCommit: new InjectedFaultException("store bug"))));
        builder.Services.AddSingleton<JournalServer>();
        builder.Services.AddSingleton<JournalHostedService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JournalHostedService>());
        using var host = builder.Build();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        await host.StartAsync();
        var service = host.Services.GetRequiredService<JournalHostedService>();
        Assert.False(service.Failed);

        using (var probe = new LoopbackProbe(host.Services.GetRequiredService<JournalServer>().LocalEndPoint.Port)) probe.Send(Append());
        await stopping.Task.WaitAsync(Patience);
        await host.WaitForShutdownAsync().WaitAsync(Patience);
        Assert.True(service.Failed);
    }
}
