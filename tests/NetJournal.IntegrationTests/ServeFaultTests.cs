using System.Net;
using NetJournal.Cli;
using NetJournal.Cli.Commands;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Server;
using NetJournal.Storage;

namespace NetJournal.IntegrationTests;

/// <summary>`netjournal serve` under its real host, with a fault injected in-process through the commit listener seam.</summary>
public sealed class ServeFaultTests
{
    private sealed class ThrowingListener : ICommitListener
    {
        public void OnCommitted(ReadOnlySpan<CommittedNote> notes) => throw new InjectedFaultException("listener bug");
    }

    [Fact]
    public async Task A_fault_in_the_commit_loop_stops_serve_with_exit_code_1_and_one_clear_line()
    {
        var port = ServerProcess.FreeUdpPort();
        var options = new JournalServerOptions { Bind = IPAddress.Loopback, Port = port, OpenStore = _ => new MemoryJournalStore() };
        options.CommitListeners.Add(new ThrowingListener());
        var error = new StringWriter();
        var context = new CliContext { Out = new StringWriter(), Error = error, In = new StringReader("") };
        var serving = Task.Run(() => ServeCommand.RunAsync(options, context, CancellationToken.None));

        // Until the server has bound, its port is closed and the client says so at once: ask again until it answers.
        // The note is stored and acknowledged before the listener fails.
        var status = (NoteStatus)0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (status == 0 && DateTime.UtcNow < deadline && !serving.IsCompleted)
        {
            await using var client = new JournalClient(new IPEndPoint(IPAddress.Loopback, port), new JournalClientOptions { Name = "ana" });
            status = (await client.WriteAsync("the last note")).Status;
        }
        Assert.Equal(NoteStatus.Stored, status);

        Assert.Equal(1, await serving.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("netjournal serve: stopped because the commit loop failed: listener bug", error.ToString(), StringComparison.Ordinal);
    }
}
