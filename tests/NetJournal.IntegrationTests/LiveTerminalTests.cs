namespace NetJournal.IntegrationTests;

/// <summary>
/// Two interactive clients in real terminals (tmux): a note one stores appears live in the other above the line being
/// typed there, and that half-typed line (Chinese in it) stays intact below, cursor and all.
/// </summary>
public sealed class LiveTerminalTests
{
    [Fact]
    public async Task A_note_from_another_client_appears_above_a_half_typed_line_that_stays_intact()
    {
        if (TmuxTerminal.Installed is null) Assert.Skip("tmux is not installed (apt-get install tmux), so the session was not driven through a terminal.");
        await using var server = TestServer.Start();
        await using var ana = await TerminalEditingTests.StartSessionAsync(server, "ana");
        await using var bob = await TerminalEditingTests.StartSessionAsync(server, "bob");
        await ana.WaitForAsync(s => TmuxTerminal.LastLine(s) == ">", "ana's prompt");
        await bob.WaitForAsync(s => TmuxTerminal.LastLine(s) == ">", "bob's prompt");

        // Ana types half a line and moves the cursor back into it, before "line".
        await ana.TypeAsync("写了一半 half line");
        await ana.PressAsync("Left", "Left", "Left", "Left");
        await ana.WaitForAsync(s => TmuxTerminal.LastLine(s) == "> 写了一半 half line", "ana's half line");
        var before = await ana.CursorAsync();
        Assert.Equal(2 + 8 + 1 + 4 + 1, before.Column);

        await bob.TypeAsync("来自 bob 的消息");
        await bob.PressAsync("Enter");
        await bob.WaitForAsync(s => s.Any(row => row.Contains("stored #1", StringComparison.Ordinal)), "bob's note confirmed");
        var screen = await ana.WaitForAsync(s => s.Any(row => row.Contains("  bob  来自 bob 的消息", StringComparison.Ordinal)), "bob's note on ana's screen");

        // Bob's note is above; ana's half line is intact on the row below it, with the cursor where it was.
        var noteRow = Array.FindIndex(screen, row => row.Contains("  bob  来自 bob 的消息", StringComparison.Ordinal));
        var lineRow = Array.FindLastIndex(screen, row => row.Trim().Length > 0);
        Assert.Equal("> 写了一半 half line", screen[lineRow]);
        Assert.True(noteRow < lineRow, $"bob's note (row {noteRow}) is not above ana's line (row {lineRow})");
        Assert.Equal((before.Column, lineRow), await ana.CursorAsync());

        // Finishing the line stores exactly what was typed.
        await ana.TypeAsync("完整 ");
        await ana.PressAsync("Enter");
        await ana.WaitForAsync(s => s.Any(row => row.Contains("stored #2", StringComparison.Ordinal)), "ana's note confirmed");
        await bob.WaitForAsync(s => s.Any(row => row.Contains("  ana  写了一半 half 完整 line", StringComparison.Ordinal)), "ana's note on bob's screen");

        // A later note from bob reaches ana after any echo of her own note would have: her note was shown once, as typed.
        await bob.TypeAsync("再来一条");
        await bob.PressAsync("Enter");
        screen = await ana.WaitForAsync(s => s.Any(row => row.Contains("  bob  再来一条", StringComparison.Ordinal)), "bob's second note on ana's screen");
        Assert.Single(screen, row => row.Contains("写了一半 half 完整 line", StringComparison.Ordinal));
        Assert.Single(screen, row => row.Contains("stored #2", StringComparison.Ordinal));

        await ana.PressAsync("C-d");
        await bob.PressAsync("C-d");
        Assert.Equal(0, await ana.WaitForExitAsync());
        Assert.Equal(0, await bob.WaitForExitAsync());
        Assert.Equal(["来自 bob 的消息", "写了一半 half 完整 line", "再来一条"], await TerminalEditingTests.StoredTextsAsync(server));
    }
}
