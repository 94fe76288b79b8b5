using System.Net;

namespace NetJournal.IntegrationTests;

/// <summary>`netjournal serve` that cannot start says why in one line on standard error and exits 1.</summary>
public sealed class ServeStartFailureTests
{
    /// <summary>Runs a real `netjournal serve` that is expected to fail and returns everything it printed.</summary>
    private static async Task<string> FailedStart(string data, IPAddress bind, int port)
    {
        await using var server = ServerProcess.Start(ServerProcess.DefaultCli, data, bind, port);
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(code == 1, $"exit code {code}; printed: {server.Log}");
        return server.Log;
    }

    private static void AssertOneClearLine(string printed)
    {
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, printed);
        Assert.StartsWith("netjournal serve: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use()
    {
        await using var first = await ServerProcess.StartAsync(TestServer.TempDirectory());
        var printed = await FailedStart(TestServer.TempDirectory(), IPAddress.Loopback, first.Port);
        AssertOneClearLine(printed);
        Assert.Contains("in use", printed);
    }

    [Fact]
    public async Task A_data_folder_that_is_a_file()
    {
        var file = Path.Combine(TestServer.TempDirectory(), "not-a-folder");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        AssertOneClearLine(await FailedStart(file, IPAddress.Loopback, 0));
    }

    [Fact]
    public async Task An_unreadable_journal()
    {
        // A folder where the journal file should be cannot be read by anyone, root included.
        var data = TestServer.TempDirectory();
        Directory.CreateDirectory(Path.Combine(data, "journal.jsonl"));
        AssertOneClearLine(await FailedStart(data, IPAddress.Loopback, 0));
    }

    [Fact]
    public async Task The_journal_held_by_another_server()
    {
        var data = TestServer.TempDirectory();
        await using var first = await ServerProcess.StartAsync(data);
        AssertOneClearLine(await FailedStart(data, IPAddress.Loopback, 0));
    }

    [Fact]
    public async Task An_address_not_on_this_machine()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a machine.
        var printed = await FailedStart(TestServer.TempDirectory(), IPAddress.Parse("192.0.2.1"), 9527);
        AssertOneClearLine(printed);
        Assert.Contains("not on this machine", printed);
    }
}
