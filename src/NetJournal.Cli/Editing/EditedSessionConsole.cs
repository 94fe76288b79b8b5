namespace NetJournal.Cli.Editing;

/// <summary>
/// Lines typed in a terminal and edited with <see cref="LineEditor"/>'s keys, drawn by <see cref="LineView"/> after a
/// prompt on the last row. Other text (a note arriving live) is printed above the line being typed: the row is
/// erased, the text printed, and the line drawn again below it with the cursor where it was, so what is being typed
/// is never garbled.
/// </summary>
/// <remarks>
/// This is a line editor of NetJournal's own because no library offered here does it: RadLine (Spectre.Console's,
/// 0.6.0, a preview) owns the console for the whole of <c>ReadLine</c>, with no way to print above the line and
/// redraw it, and places the cursor by UTF-16 index, not display columns (its <c>LineBuffer.CursorPosition</c> says
/// so), which breaks on Chinese; Terminal.Gui takes over the whole screen, losing the scrollback the history is
/// printed into; PrettyPrompt and ReadLine are not available. What it needs from a library, the display width of
/// a character, it takes from Wcwidth through <see cref="Output.DisplayWidth"/>.
/// </remarks>
public sealed class EditedSessionConsole(IKeySource keys, TextWriter terminal, Func<int> columns, string prompt = "> ") : SessionConsole
{
    private readonly LineEditor _editor = new();
    private readonly LineView _view = new(prompt);

    /// <summary>True while a line is on screen being typed (a live note then goes above it).</summary>
    private bool _editing;

    /// <summary>The editor, for its history (tests).</summary>
    internal LineEditor Editor => _editor;

    public override async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _editing = true;
            Draw();
        }
        finally
        {
            Gate.Release();
        }
        try
        {
            while (true)
            {
                var key = await keys.ReadKeyAsync(cancellationToken).ConfigureAwait(false);
                await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (key is null) return Leave();
                    switch (_editor.Handle(key.Value))
                    {
                        case EditorOutcome.Changed:
                            Draw();
                            break;
                        case EditorOutcome.ClearScreen:
                            terminal.Write(LineView.ClearScreen);
                            Draw();
                            break;
                        case EditorOutcome.Submit:
                            var line = _editor.Text;
                            _editor.Clear();
                            _editing = false;
                            terminal.Write(_view.Submitted(line));
                            terminal.Flush();
                            return line;
                        case EditorOutcome.EndOfInput:
                            return Leave();
                    }
                }
                finally
                {
                    Gate.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the half-typed line stays on screen (it is not a note); what the session prints next starts below it.
            if (Gate.Wait(TimeSpan.FromSeconds(1)))
            {
                try
                {
                    if (_editing) terminal.Write('\n');
                    _editing = false;
                    terminal.Flush();
                }
                finally
                {
                    Gate.Release();
                }
            }
            throw;
        }
    }

    protected override void PrintAbove(Action print)
    {
        if (!_editing)
        {
            print();
            return;
        }
        terminal.Write(LineView.Erase);
        print();
        Draw();
    }

    private string? Leave()
    {
        _editing = false;
        _editor.Clear();
        terminal.Write(LineView.Erase);
        terminal.Flush();
        return null;
    }

    private void Draw()
    {
        terminal.Write(_view.Draw(_editor, columns()));
        terminal.Flush();
    }
}
