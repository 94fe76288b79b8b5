using System.Net;
using NetJournal.Protocol.Sealing;
using NetJournal.Testing;

namespace NetJournal.IntegrationTests;

/// <summary>`netjournal serve --clients` as a process: SIGHUP reads the file again, and a file others may read stops the start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeysProcessTests
{
    [Fact]
    public async Task Sighup_reads_the_clients_file_again_and_the_server_keeps_serving()
    {
        var folder = TestServer.TempDirectory();
        var clients = Path.Combine(folder, "clients");
        File.WriteAllText(clients, $"alice {ClientKey.Generate()} write,read-all\n");
        File.SetUnixFileMode(clients, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var server = ServerProcess.Start(ServerProcess.DefaultCli, Path.Combine(folder, "data"), IPAddress.Loopback, 0, "--clients", clients);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));

        server.Signal("HUP");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!server.Log.Contains("(SIGHUP)", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Contains("read again (SIGHUP): 1 clients", server.Log);
        var (code, _) = await server.StopAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, code);
    }

    [Theory]
    [InlineData("alice nj1-notakey write", "line 1: the key is not a NetJournal key", 0b110_000_000)]
    [InlineData("# fine\nalice {0} write,read-own,delete", "line 2: 'write,read-own,delete' is not a list of rights", 0b110_000_000)]
    [InlineData("alice {0} write", "readable or writable by others", 0b110_100_100)]
    public async Task A_clients_file_that_is_malformed_or_readable_by_others_stops_the_start_naming_why(string content, string why, int mode)
    {
        var folder = TestServer.TempDirectory();
        var clients = Path.Combine(folder, "clients");
        File.WriteAllText(clients, string.Format(System.Globalization.CultureInfo.InvariantCulture, content, ClientKey.Generate()) + "\n");
        File.SetUnixFileMode(clients, (UnixFileMode)mode);
        await using var server = ServerProcess.Start(ServerProcess.DefaultCli, Path.Combine(folder, "data"), IPAddress.Loopback, 0, "--clients", clients);
        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(why, server.Log);
    }
}
