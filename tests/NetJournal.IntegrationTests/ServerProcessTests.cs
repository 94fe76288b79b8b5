using System.Net;
using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

public sealed class ServerProcessTests
{
    [Fact]
    public async Task Sigterm_stops_the_server_cleanly_and_every_acknowledged_note_is_there_after_a_restart()
    {
        var data = TestServer.TempDirectory();
        int stored;
        await using (var server = await ServerProcess.StartAsync(data))
        {
            await using (var client = server.Client("进程"))
            {
                var summary = await client.WriteAsync(Lines.Of(Enumerable.Range(1, 1000).Select(i => $"信号测试 {i}")));
                stored = (int)summary.Stored;
            }
            server.Signal("TERM");
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("NetJournal stopped", server.Log);
        }
        Assert.Equal(1000, stored);
        await using (var again = await ServerProcess.StartAsync(data))
        {
            await using var reader = again.Client("reader");
            var notes = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
            Assert.Equal(Enumerable.Range(1, 1000).Select(i => $"信号测试 {i}"), notes.Select(n => n.Text));
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task A_port_already_in_use_is_one_clear_error_and_a_non_zero_exit()
    {
        var data = TestServer.TempDirectory();
        await using var first = await ServerProcess.StartAsync(data);
        await using var second = ServerProcess.Start(ServerProcess.DefaultCli, TestServer.TempDirectory(), IPAddress.Loopback, first.Port);
        Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("already in use", second.Log);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task A_max_batch_out_of_range_is_one_clear_error_and_exit_code_2(string notes)
    {
        await using var server = ServerProcess.Start(ServerProcess.DefaultCli, TestServer.TempDirectory(), IPAddress.Loopback, 0, "--max-batch", notes);
        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"--max-batch {notes}: give the most notes per write and fsync, 1 to 65536", server.Log);
    }
}
