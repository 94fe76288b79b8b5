using NetJournal.Protocol;
using NetJournal.Testing;

namespace NetJournal.IntegrationTests;

/// <summary>
/// The interactive session in a real terminal (tmux): lines of Chinese text edited with the arrow keys, Backspace,
/// Delete, Ctrl-A/E/U/W and Up, and stored exactly as they read on screen when Enter is pressed.
/// </summary>
public sealed class TerminalEditingTests
{
    private static void SkipWithoutTmux()
    {
        if (TmuxTerminal.Installed is null) Assert.Skip("tmux is not installed (apt-get install tmux), so the session was not driven through a terminal.");
    }

    /// <summary>The interactive client in a terminal, as `netjournal -s ADDRESS -n NAME`.</summary>
    internal static Task<TmuxTerminal> StartSessionAsync(TestServer server, string name) =>
        TmuxTerminal.StartAsync(["dotnet", ServerProcess.DefaultCli, "-s", server.Address, "-n", name, "--timeout", "10"]);

    internal static async Task<List<string>> StoredTextsAsync(TestServer server)
    {
        await using var reader = server.Client("reader");
        var texts = new List<string>();
        await foreach (var note in reader.HistoryAsync(HistoryFilter.None, 0, TestContext.Current.CancellationToken)) texts.Add(note.Text);
        return texts;
    }

    [Fact]
    public async Task Chinese_text_is_edited_by_whole_characters_and_stored_as_shown()
    {
        SkipWithoutTmux();
        await using var server = TestServer.Start();
        await using var terminal = await StartSessionAsync(server, "ana");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == ">", "the prompt");

        await terminal.TypeAsync("今天天气很好 ok");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == "> 今天天气很好 ok", "the typed line");
        // Three to the left is before " ok"; two Backspaces erase 很好, one character each.
        await terminal.PressAsync("Left", "Left", "Left", "BSpace", "BSpace");
        var screen = await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == "> 今天天气 ok", "two characters erased");
        // The prompt takes 2 columns and 今天天气 8: the cursor is in column 10, right after 气.
        Assert.Equal((10, Array.FindLastIndex(screen, row => row.Trim().Length > 0)), await terminal.CursorAsync());

        await terminal.PressAsync("C-a", "Delete");
        await terminal.TypeAsync("明");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == "> 明天天气 ok", "the first character replaced");
        Assert.Equal(4, (await terminal.CursorAsync()).Column);

        await terminal.PressAsync("C-e", "C-w");
        await terminal.TypeAsync("不错");
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s.Any(row => row.Contains("stored #1", StringComparison.Ordinal)), "the note confirmed");

        // Up brings the line back; Ctrl-U empties it; a second line; Home and End around wide characters.
        await terminal.PressAsync("Up");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == "> 明天天气 不错", "the line recalled");
        await terminal.PressAsync("C-u");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == ">", "the line emptied");
        await terminal.TypeAsync("第二条");
        await terminal.PressAsync("Home");
        await terminal.TypeAsync("这是");
        await terminal.PressAsync("End");
        await terminal.TypeAsync("笔记");
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s.Any(row => row.Contains("stored #2", StringComparison.Ordinal)), "the second note confirmed");

        await terminal.PressAsync("C-d");
        Assert.Equal(0, await terminal.WaitForExitAsync());
        Assert.Equal(["明天天气 不错", "这是第二条笔记"], await StoredTextsAsync(server));
    }

    [Fact]
    public async Task A_line_wider_than_the_terminal_scrolls_and_is_stored_whole()
    {
        SkipWithoutTmux();
        await using var server = TestServer.Start();
        await using var terminal = await StartSessionAsync(server, "ana");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == ">", "the prompt");
        var line = string.Concat(Enumerable.Repeat("长句子 long sentence ", 10)).TrimEnd();
        await terminal.TypeAsync(line);
        // The row shows the end of the line, the cursor stays inside the 100 columns.
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s).StartsWith("> ", StringComparison.Ordinal) && TmuxTerminal.LastLine(s).EndsWith("long sentence", StringComparison.Ordinal), "the end of the line");
        Assert.InRange((await terminal.CursorAsync()).Column, 2, 99);
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s.Any(row => row.Contains("stored #1", StringComparison.Ordinal)), "the note confirmed");
        await terminal.PressAsync("C-d");
        Assert.Equal(0, await terminal.WaitForExitAsync());
        Assert.Equal([line], await StoredTextsAsync(server));
    }

    [Fact]
    public async Task Ctrl_C_in_a_terminal_leaves_with_130()
    {
        SkipWithoutTmux();
        await using var server = TestServer.Start();
        await using var terminal = await StartSessionAsync(server, "ana");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == ">", "the prompt");
        await terminal.TypeAsync("半行");
        await terminal.WaitForAsync(s => TmuxTerminal.LastLine(s) == "> 半行", "the half line");
        await terminal.PressAsync("C-c");
        Assert.Equal(130, await terminal.WaitForExitAsync());
        Assert.Empty(await StoredTextsAsync(server));
    }
}
