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
}
