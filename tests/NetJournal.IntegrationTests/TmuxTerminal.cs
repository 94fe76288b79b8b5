using System.Diagnostics;
using System.Globalization;

namespace NetJournal.IntegrationTests;

/// <summary>
/// A real terminal for a test: a private tmux server (its own socket in a temporary folder) running one command in a
/// window of a given size. Keys are sent as a person types them (send-keys), the screen is read back as text
/// (capture-pane) and awaited by polling it until it shows what is expected or a deadline passes.
/// </summary>
internal sealed class TmuxTerminal : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _tmux;
    private readonly string _directory;
    private readonly string _socket;

    private TmuxTerminal(string tmux, string directory)
    {
        _tmux = tmux;
        _directory = directory;
        _socket = Path.Combine(directory, "tmux.sock");
    }

    /// <summary>tmux's path, or null when it is not installed.</summary>
    public static string? Installed => ToolPath.Find("tmux");

    /// <summary>Starts <paramref name="command"/> in a <paramref name="columns"/> × <paramref name="rows"/> terminal.</summary>
    public static async Task<TmuxTerminal> StartAsync(IReadOnlyList<string> command, int columns = 100, int rows = 30)
    {
        var tmux = Installed ?? throw new InvalidOperationException("tmux is not installed");
        var directory = TestServer.TempDirectory();
        var terminal = new TmuxTerminal(tmux, directory);
        // The command's exit status is printed by a shell around it: tmux 3.3 does not always collect the status of a
        // pane whose terminal closed before its process was reaped. The pane stays once the shell exits, so the last
        // screen can be read. The shell catches Ctrl-C (so it lives to say the status); the command gets it as usual.
        await terminal.RunAsync(["-f", "/dev/null", "new-session", "-d", "-s", "main",
            "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture),
            "sh", "-c", $"trap true INT; \"$0\" \"$@\"; echo \"{Exited}$?]\"", .. command,
            ";", "set-option", "-t", "main", "remain-on-exit", "on"]);
        return terminal;
    }

    /// <summary>Types <paramref name="text"/> literally, character by character as the terminal would send them.</summary>
    public Task TypeAsync(string text) => RunAsync(["send-keys", "-t", "main", "-l", text]);

    /// <summary>Presses keys by tmux's names: Left, BSpace, Enter, C-u, ...</summary>
    public Task PressAsync(params string[] keys) => RunAsync(["send-keys", "-t", "main", .. keys]);

    /// <summary>The screen's rows as text, wide characters once each.</summary>
    public async Task<string[]> ScreenAsync() => (await RunAsync(["capture-pane", "-p", "-t", "main"])).TrimEnd('\n').Split('\n');

    /// <summary>The cursor's column and row, from 0.</summary>
    public async Task<(int Column, int Row)> CursorAsync()
    {
        var parts = (await RunAsync(["display-message", "-p", "-t", "main", "#{cursor_x} #{cursor_y}"])).Trim().Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private const string Exited = "[exited ";

    /// <summary>The command's exit status once it has exited; null while it runs.</summary>
    public async Task<int?> ExitStatusAsync()
    {
        var line = (await ScreenAsync()).LastOrDefault(row => row.StartsWith(Exited, StringComparison.Ordinal));
        return line is null ? null : int.Parse(line[Exited.Length..^1], CultureInfo.InvariantCulture);
    }

    /// <summary>Polls the screen until <paramref name="shows"/> holds; throws with the last screen when the deadline passes.</summary>
    public async Task<string[]> WaitForAsync(Func<string[], bool> shows, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var screen = await ScreenAsync();
            if (shows(screen)) return screen;
            if (clock.Elapsed > Deadline)
                throw new TimeoutException($"the terminal did not show {what} within {Deadline.TotalSeconds:0} s; it shows:\n{string.Join('\n', screen)}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls until the command has exited and returns its exit status.</summary>
    public async Task<int> WaitForExitAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await ExitStatusAsync() is { } status) return status;
            if (clock.Elapsed > Deadline)
                throw new TimeoutException($"the command did not exit within {Deadline.TotalSeconds:0} s; the terminal shows:\n{string.Join('\n', await ScreenAsync())}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The last row that is not blank: where the line being typed is.</summary>
    public static string LastLine(string[] screen) => screen.LastOrDefault(row => row.Trim().Length > 0) ?? "";

    private async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(_tmux) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // UTF-8 whatever the locale of the machine running the tests: the screen holds Chinese.
        info.Environment["LC_ALL"] = "C.UTF-8";
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add("-S");
        info.ArgumentList.Add(_socket);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start tmux");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Deadline);
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', info.ArgumentList)} failed: {await error}");
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(["kill-server"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
