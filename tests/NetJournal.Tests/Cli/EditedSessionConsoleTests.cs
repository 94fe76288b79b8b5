using NetJournal.Cli.Editing;

namespace NetJournal.Tests.Cli;

/// <summary>Text printed while a line is being typed goes above it, and the half-typed line is drawn again, intact, below.</summary>
public sealed class EditedSessionConsoleTests
{
    private const string Erase = "\r\u001b[K";

    [Fact]
    public async Task A_note_printed_while_typing_goes_above_and_the_half_line_is_redrawn_below()
    {
        var keys = new ScriptedKeys();
        var terminal = new StringWriter();
        using var console = new EditedSessionConsole(keys, terminal, () => 80);
        var reading = console.ReadLineAsync(TestContext.Current.CancellationToken);
        await keys.TypeAsync([.. Keys.Text("半行 half"), Keys.Press(ConsoleKey.LeftArrow)]);

        var before = terminal.ToString().Length;
        await console.PrintAboveAsync(() => terminal.Write("12:00:00  bob  来了 a note\n"), TestContext.Current.CancellationToken);
        var printed = terminal.ToString()[before..];
        // Erase the row, print the note, draw the half line again with the cursor where it was (2 + 4 + 4 columns).
        Assert.Equal($"{Erase}12:00:00  bob  来了 a note\n\r> 半行 half\u001b[K\r\u001b[10C", printed);

        keys.Type([Keys.Press(ConsoleKey.End), .. Keys.Text(" done"), Keys.Press(ConsoleKey.Enter)]);
        Assert.Equal("半行 half done", await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Text_printed_while_no_line_is_being_typed_is_printed_as_it_is()
    {
        var terminal = new StringWriter();
        using var console = new EditedSessionConsole(new ScriptedKeys(), terminal, () => 80);
        await console.PrintAboveAsync(() => terminal.Write("a note\n"), TestContext.Current.CancellationToken);
        Assert.Equal("a note\n", terminal.ToString());
    }

    [Fact]
    public async Task Nothing_prints_while_the_session_holds_the_console()
    {
        var terminal = new StringWriter();
        using var console = new EditedSessionConsole(new ScriptedKeys(), terminal, () => 80);
        Task printing;
        using (await console.HoldAsync(TestContext.Current.CancellationToken))
        {
            printing = console.PrintAboveAsync(() => terminal.Write("live\n"), TestContext.Current.CancellationToken);
            terminal.Write("stored #1\n");
            Assert.False(printing.IsCompleted);
        }
        await printing.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal("stored #1\nlive\n", terminal.ToString());
    }

    [Fact]
    public async Task Ctrl_D_on_an_empty_line_and_a_closed_terminal_end_the_input()
    {
        var keys = new ScriptedKeys();
        using var console = new EditedSessionConsole(keys, new StringWriter(), () => 80);
        var reading = console.ReadLineAsync(TestContext.Current.CancellationToken);
        keys.Type([Keys.Ctrl('d')]);
        Assert.Null(await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        reading = console.ReadLineAsync(TestContext.Current.CancellationToken);
        keys.Close();
        Assert.Null(await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Up_recalls_the_lines_typed_before_in_this_session()
    {
        var keys = new ScriptedKeys();
        using var console = new EditedSessionConsole(keys, new StringWriter(), () => 80);
        var reading = console.ReadLineAsync(TestContext.Current.CancellationToken);
        keys.Type([.. Keys.Text("第一条"), Keys.Press(ConsoleKey.Enter)]);
        Assert.Equal("第一条", await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        reading = console.ReadLineAsync(TestContext.Current.CancellationToken);
        keys.Type([Keys.Press(ConsoleKey.UpArrow), Keys.Press(ConsoleKey.Backspace), .. Keys.Text("二条"), Keys.Press(ConsoleKey.Enter)]);
        Assert.Equal("第一二条", await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }
}
