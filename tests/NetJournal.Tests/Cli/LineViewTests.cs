using NetJournal.Cli.Editing;

namespace NetJournal.Tests.Cli;

/// <summary>How the line being typed is drawn: the cursor by display columns, a long line scrolled to keep it in view.</summary>
public sealed class LineViewTests
{
    private static LineEditor Typed(string text, int lefts = 0)
    {
        var editor = new LineEditor();
        foreach (var key in Keys.Text(text)) editor.Handle(key);
        for (var i = 0; i < lefts; i++) editor.Handle(Keys.Press(ConsoleKey.LeftArrow));
        return editor;
    }

    [Fact]
    public void The_cursor_is_put_after_wide_characters_by_their_columns()
    {
        var drawn = new LineView("> ").Draw(Typed("中文ab", lefts: 2), 80);
        // Prompt 2 columns, 中文 4: the cursor goes 6 columns right of the row's start.
        Assert.Equal("\r> 中文ab\u001b[K\r\u001b[6C", drawn);
    }

    [Fact]
    public void A_line_wider_than_the_row_scrolls_to_keep_the_cursor_in_view()
    {
        var view = new LineView("> ");
        var editor = Typed(new string('字', 30));
        var drawn = view.Draw(editor, 20);
        // 20 columns: 2 for the prompt, 1 left free, so 8 wide characters (16 columns) before the cursor at the end.
        Assert.Equal($"\r> {new string('字', 8)}\u001b[K\r\u001b[18C", drawn);
        editor.Handle(Keys.Press(ConsoleKey.Home));
        Assert.Equal($"\r> {new string('字', 8)}\u001b[K\r\u001b[2C", view.Draw(editor, 20));
    }

    [Fact]
    public void A_bidirectional_override_is_shown_escaped_and_kept_as_typed()
    {
        var editor = Typed("a\u202Eb");
        Assert.Equal("a\u202Eb", editor.Text);
        Assert.StartsWith("\r> a\\u202eb\u001b[K", new LineView("> ").Draw(editor, 80));
    }

    [Fact]
    public void A_submitted_line_is_shown_whole_and_ends_the_row()
    {
        Assert.Equal("\r> 你好\u001b[K\n", new LineView("> ").Submitted("你好"));
    }
}
