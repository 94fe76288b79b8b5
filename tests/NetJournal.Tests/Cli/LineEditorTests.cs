using NetJournal.Cli.Editing;

namespace NetJournal.Tests.Cli;

/// <summary>The keys of the interactive session's line, on a scripted key source: by grapheme cluster, never a control character.</summary>
public sealed class LineEditorTests
{
    private static LineEditor Typed(params IEnumerable<ConsoleKeyInfo>[] keys)
    {
        var editor = new LineEditor();
        foreach (var key in keys.SelectMany(k => k)) editor.Handle(key);
        return editor;
    }

    private static ConsoleKeyInfo[] Repeat(ConsoleKeyInfo key, int times) => Enumerable.Repeat(key, times).ToArray();

    [Fact]
    public void Backspace_erases_a_Chinese_character_as_one()
    {
        var editor = Typed(Keys.Text("写日记"), [Keys.Press(ConsoleKey.Backspace)]);
        Assert.Equal("写日", editor.Text);
        Assert.Equal(2, editor.Cursor);
    }

    [Fact]
    public void Left_and_right_move_one_Chinese_character_and_typing_goes_in_between()
    {
        var editor = Typed(Keys.Text("今天天气"), Repeat(Keys.Press(ConsoleKey.LeftArrow), 2), Keys.Text("的"), [Keys.Press(ConsoleKey.RightArrow)], Keys.Text("好"));
        Assert.Equal("今天的天好气", editor.Text);
        Assert.Equal(5, editor.Cursor);
    }

    [Fact]
    public void Delete_erases_the_character_under_the_cursor_and_Home_End_jump()
    {
        var editor = Typed(Keys.Text("中文 ok"), [Keys.Press(ConsoleKey.Home), Keys.Press(ConsoleKey.Delete)]);
        Assert.Equal("文 ok", editor.Text);
        Assert.Equal(0, editor.Cursor);
        editor.Handle(Keys.Press(ConsoleKey.End));
        Assert.Equal(editor.Text.Length, editor.Cursor);
        editor.Handle(Keys.Ctrl('a'));
        Assert.Equal(0, editor.Cursor);
        editor.Handle(Keys.Ctrl('e'));
        Assert.Equal(editor.Text.Length, editor.Cursor);
    }

    [Theory]
    [InlineData("\U0001F44D\U0001F3FD")] // 👍🏽: a surrogate pair and a skin tone, one cluster
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467")] // 👨‍👩‍👧, joined by ZWJ
    [InlineData("e\u0301")] // e and a combining acute accent
    public void A_cluster_of_several_code_units_is_typed_moved_over_and_erased_as_one(string cluster)
    {
        var editor = Typed(Keys.Text("a" + cluster + "b"), [Keys.Press(ConsoleKey.LeftArrow), Keys.Press(ConsoleKey.LeftArrow)]);
        Assert.Equal(1, editor.Cursor);
        editor.Handle(Keys.Press(ConsoleKey.Delete));
        Assert.Equal("ab", editor.Text);
        editor = Typed(Keys.Text("a" + cluster), [Keys.Press(ConsoleKey.Backspace)]);
        Assert.Equal("a", editor.Text);
    }

    [Fact]
    public void Ctrl_U_erases_to_the_start_and_Ctrl_K_to_the_end()
    {
        var editor = Typed(Keys.Text("前面 middle 后面"), Repeat(Keys.Press(ConsoleKey.LeftArrow), 3), [Keys.Ctrl('u')]);
        Assert.Equal(" 后面", editor.Text);
        Assert.Equal(0, editor.Cursor);
        editor = Typed(Keys.Text("前面 middle 后面"), Repeat(Keys.Press(ConsoleKey.LeftArrow), 3), [Keys.Ctrl('k')]);
        Assert.Equal("前面 middle", editor.Text);
    }

    [Fact]
    public void Ctrl_W_erases_the_word_before_the_cursor_and_the_space_after_it()
    {
        var editor = Typed(Keys.Text("buy 牛奶 and 面包  "), [Keys.Ctrl('w')]);
        Assert.Equal("buy 牛奶 and ", editor.Text);
        editor.Handle(Keys.Ctrl('w'));
        editor.Handle(Keys.Ctrl('w'));
        Assert.Equal("buy ", editor.Text);
        Assert.Equal(4, editor.Cursor);
    }

    [Fact]
    public void Up_and_down_walk_the_lines_submitted_before_and_give_back_the_line_being_typed()
    {
        var editor = new LineEditor();
        foreach (var line in new[] { "first 第一", "second", "second", "  " })
        {
            foreach (var key in Keys.Text(line)) editor.Handle(key);
            Assert.Equal(EditorOutcome.Submit, editor.Handle(Keys.Press(ConsoleKey.Enter)));
            editor.Clear();
        }
        Assert.Equal(["first 第一", "second"], editor.History);

        foreach (var key in Keys.Text("draft")) editor.Handle(key);
        editor.Handle(Keys.Press(ConsoleKey.UpArrow));
        Assert.Equal("second", editor.Text);
        editor.Handle(Keys.Press(ConsoleKey.UpArrow));
        Assert.Equal("first 第一", editor.Text);
        Assert.Equal(EditorOutcome.None, editor.Handle(Keys.Press(ConsoleKey.UpArrow)));
        Assert.Equal("first 第一", editor.Text);
        Assert.Equal("first 第一".Length, editor.Cursor);
        editor.Handle(Keys.Ctrl('n'));
        Assert.Equal("second", editor.Text);
        editor.Handle(Keys.Press(ConsoleKey.DownArrow));
        Assert.Equal("draft", editor.Text);
        Assert.Equal(EditorOutcome.None, editor.Handle(Keys.Press(ConsoleKey.DownArrow)));
    }

    [Fact]
    public void A_recalled_line_edited_and_submitted_is_a_new_entry()
    {
        var editor = Typed(Keys.Text("note 1"), [Keys.Press(ConsoleKey.Enter)]);
        editor.Clear();
        foreach (var key in new[] { Keys.Press(ConsoleKey.UpArrow), Keys.Press(ConsoleKey.Backspace), Keys.Char('2'), Keys.Press(ConsoleKey.Enter) }) editor.Handle(key);
        Assert.Equal("note 2", editor.Text);
        Assert.Equal(["note 1", "note 2"], editor.History);
    }

    [Fact]
    public void No_control_character_is_stored_by_accident()
    {
        ConsoleKeyInfo[] keys =
        [
            .. Keys.Text("a"),
            Keys.Ctrl('g'), // bell
            Keys.Char('\0'),
            Keys.Press(ConsoleKey.F5),
            Keys.Press(ConsoleKey.Insert),
            // An escape sequence the console did not recognise comes as Escape and its characters: all dropped.
            Keys.Press(ConsoleKey.Escape), .. Keys.Text("[24;5~"),
            Keys.Press(ConsoleKey.Escape), .. Keys.Text("OP"),
            Keys.Press(ConsoleKey.Tab),
            Keys.Alt('x'),
            Keys.Char('\u0085'), // NEL, a C1 control
            Keys.Char('\u009b'), // CSI, a C1 control
            .. Keys.Text("b"),
        ];
        var editor = Typed(keys);
        Assert.Equal("a b", editor.Text);
        Assert.DoesNotContain(editor.Text, char.IsControl);
    }

    [Fact]
    public void Escape_alone_then_a_letter_keeps_the_letter()
    {
        var editor = Typed([Keys.Press(ConsoleKey.Escape)], Keys.Text("z"));
        Assert.Equal("z", editor.Text);
    }

    [Fact]
    public void A_lone_low_surrogate_is_not_stored()
    {
        var editor = Typed([Keys.Char('\uDC00')], Keys.Text("x"));
        Assert.Equal("x", editor.Text);
    }

    [Fact]
    public void Ctrl_D_leaves_on_an_empty_line_and_deletes_otherwise()
    {
        Assert.Equal(EditorOutcome.EndOfInput, new LineEditor().Handle(Keys.Ctrl('d')));
        var editor = Typed(Keys.Text("字x"), [Keys.Ctrl('a')]);
        Assert.Equal(EditorOutcome.Changed, editor.Handle(Keys.Ctrl('d')));
        Assert.Equal("x", editor.Text);
    }

    [Fact]
    public void Ctrl_L_asks_for_a_clear_screen_and_keeps_the_line()
    {
        var editor = Typed(Keys.Text("半行"));
        Assert.Equal(EditorOutcome.ClearScreen, editor.Handle(Keys.Ctrl('l')));
        Assert.Equal("半行", editor.Text);
    }

    [Fact]
    public void Enter_as_Ctrl_J_or_Ctrl_M_submits()
    {
        Assert.Equal(EditorOutcome.Submit, Typed(Keys.Text("x")).Handle(Keys.Ctrl('j')));
        Assert.Equal(EditorOutcome.Submit, Typed(Keys.Text("x")).Handle(Keys.Ctrl('m')));
    }
}
