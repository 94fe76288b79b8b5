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
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "netjournal.dll"), "serve", "--bind", "127.0.0.1", "--port", first.Port.ToString(), "--data", TestServer.TempDirectory() })
            info.ArgumentList.Add(arg);
        using var second = System.Diagnostics.Process.Start(info)!;
        var error = await second.StandardError.ReadToEndAsync();
        await second.WaitForExitAsync();
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already in use", error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task A_max_batch_out_of_range_is_one_clear_error_and_exit_code_2(string notes)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "netjournal.dll"), "serve", "--bind", "127.0.0.1", "--port", "0", "--data", TestServer.TempDirectory(), "--max-batch", notes })
            info.ArgumentList.Add(arg);
        using var server = System.Diagnostics.Process.Start(info)!;
        var error = await server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync();
        Assert.Equal(2, server.ExitCode);
        Assert.Contains($"--max-batch {notes}: give the most notes per write and fsync, 1 to 65536", error);
    }
}
