using System.Net;
using System.Net.Sockets;
using NetJournal.Server;
using NetJournal.Storage;
using NetJournal.Tests.Storage;

namespace NetJournal.Tests.Server;

/// <summary>
/// A server that cannot start says why in one line (an IOException whose message is in the project's words), so
/// <c>netjournal serve</c> can print it as it is: no .NET type names, no stack trace, the inner cause kept for logs only.
/// </summary>
public sealed class ServerStartFailureTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static JournalServerOptions Options(string data, int port = 0, IPAddress? bind = null) =>
        new() { Bind = bind ?? IPAddress.Loopback, Port = port, DataDirectory = data };

    private static string StartFails(JournalServerOptions options)
    {
        var server = new JournalServer(options);
        var e = Assert.Throws<IOException>(server.Start);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private string Journal(string data) => Path.Combine(_directory.Path, data, JournalStore.FileName);

    [Fact]
    public void A_port_in_use_says_so()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        Assert.Equal($"cannot listen on UDP 127.0.0.1:{port}: the port is already in use (is another server running?)",
            StartFails(Options(Path.Combine(_directory.Path, "data"), port)));
    }

    [Fact]
    public void An_address_not_on_this_machine_says_so()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
        Assert.Equal("cannot listen on UDP 192.0.2.1:0: that address is not on this machine",
            StartFails(Options(Path.Combine(_directory.Path, "data"), bind: IPAddress.Parse("192.0.2.1"))));
    }

    [Fact]
    public void A_data_folder_that_is_a_file_says_so()
    {
        var data = Path.Combine(_directory.Path, "data");
        File.WriteAllText(data, "not a folder");

        Assert.Equal($"cannot open the journal {Journal("data")}: the data folder {data} is a file, not a folder", StartFails(Options(data)));
    }

    [Fact]
    public void A_data_folder_below_a_file_says_which_file()
    {
        var file = Path.Combine(_directory.Path, "file");
        File.WriteAllText(file, "not a folder");

        Assert.Equal($"cannot open the journal {Path.Combine(file, "data", JournalStore.FileName)}: {file} is a file, not a folder",
            StartFails(Options(Path.Combine(file, "data"))));
    }

    [Fact]
    public void A_journal_that_is_a_folder_says_so()
    {
        Directory.CreateDirectory(Journal("data"));

        Assert.Equal($"cannot open the journal {Journal("data")}: it is a folder, not a file", StartFails(Options(Path.Combine(_directory.Path, "data"))));
    }

    [Fact]
    public void An_unreadable_journal_says_permission_denied()
    {
        // Root reads every file whatever its mode: the refusal can only be seen as another user.
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            Assert.Skip("root reads every file whatever its mode, so a refused read can only be seen as another user");
            return;
        }
        var data = Path.Combine(_directory.Path, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Journal("data"), "");
        File.SetUnixFileMode(Journal("data"), UnixFileMode.None);

        Assert.Equal($"cannot open the journal {Journal("data")}: permission denied", StartFails(Options(data)));
    }

    [Fact]
    public async Task A_journal_locked_by_another_server_says_so()
    {
        var data = Path.Combine(_directory.Path, "data");
        var first = new JournalServer(Options(data));
        first.Start();
        try
        {
            Assert.Equal($"cannot open the journal {Journal("data")}: it is locked by another netjournal server", StartFails(Options(data)));
        }
        finally
        {
            await first.StopAsync();
        }
        // The lock goes with the server that held it.
        var second = new JournalServer(Options(data));
        second.Start();
        await second.StopAsync();
    }
}
