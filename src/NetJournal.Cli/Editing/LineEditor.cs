using System.Globalization;
using System.Text;

namespace NetJournal.Cli.Editing;

/// <summary>
/// The line being typed in a terminal session and the keys that edit it, with no console: a key in, an
/// <see cref="EditorOutcome"/> out. The cursor and every deletion move by grapheme cluster (UAX #29, what a reader sees
/// as one character), so a Chinese character, an emoji with a skin tone or e + U+0301 moves and erases as one.
/// Keys follow GNU Readline's emacs defaults: Ctrl-A/E (Home/End), Ctrl-B/F (Left/Right), Ctrl-U (erase to the start),
/// Ctrl-K (erase to the end), Ctrl-W (erase the word before the cursor, up to white space), Ctrl-L (clear the screen),
/// Ctrl-P/N (Up/Down: the lines submitted before, this session's history), Ctrl-D (leave on an empty line, else
/// Delete). No control character is ever put into the line: one that is not a key above is ignored, a Tab is a space,
/// a key with Alt is ignored,
/// and the rest of an escape sequence the console did not recognise (CSI or SS3, ECMA-48 5.4) is dropped with it.
/// </summary>
public sealed class LineEditor
{
    private readonly List<string> _history = [];
    private readonly StringBuilder _text = new();
    private int _historyIndex;
    private string _draft = "";
    private char _highSurrogate;
    private EscapeState _escape;

    private enum EscapeState { None, Started, Sequence }

    /// <summary>The line as typed so far: no control characters.</summary>
    public string Text => _text.ToString();

    /// <summary>Where the cursor is, as a UTF-16 index into <see cref="Text"/>, always between two clusters.</summary>
    public int Cursor { get; private set; }

    /// <summary>The lines submitted so far, oldest first (empty lines and a line equal to the one before are not kept).</summary>
    public IReadOnlyList<string> History => _history;

    /// <summary>Applies one key. On <see cref="EditorOutcome.Submit"/> the line is in <see cref="Text"/> until <see cref="Clear"/>.</summary>
    public EditorOutcome Handle(ConsoleKeyInfo key)
    {
        if (_escape != EscapeState.None && SkipsEscapeSequence(key)) return EditorOutcome.None;
        var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        var c = key.KeyChar;
        if (c == '\x1b')
        {
            _escape = EscapeState.Started;
            return EditorOutcome.None;
        }
        // Alt (Meta) bindings are not Readline's here: Alt-x is not an x.
        if ((key.Modifiers & ConsoleModifiers.Alt) != 0) return EditorOutcome.None;
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Submit();
            case ConsoleKey.Backspace:
                return EraseBefore();
            case ConsoleKey.Delete:
                return EraseAfter();
            case ConsoleKey.LeftArrow:
                return MoveTo(PreviousBoundary(Cursor));
            case ConsoleKey.RightArrow:
                return MoveTo(NextBoundary(Cursor));
            case ConsoleKey.Home:
                return MoveTo(0);
            case ConsoleKey.End:
                return MoveTo(_text.Length);
            case ConsoleKey.UpArrow:
                return Recall(-1);
            case ConsoleKey.DownArrow:
                return Recall(+1);
            case ConsoleKey.Escape:
                _escape = EscapeState.Started;
                return EditorOutcome.None;
            case ConsoleKey.Tab when !control:
                return Insert(' ');
        }
        // A control key arrives as its C0 character (Ctrl-U is U+0015), with or without Key and Modifiers set to match.
        var controlLetter = c is >= '\x01' and <= '\x1a' ? (char)('A' + c - 1) : control && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z ? (char)('A' + (key.Key - ConsoleKey.A)) : '\0';
        switch (controlLetter)
        {
            case 'A': return MoveTo(0);
            case 'E': return MoveTo(_text.Length);
            case 'B': return MoveTo(PreviousBoundary(Cursor));
            case 'F': return MoveTo(NextBoundary(Cursor));
            case 'H': return EraseBefore();
            case 'D': return _text.Length == 0 ? EditorOutcome.EndOfInput : EraseAfter();
            case 'U': return Erase(0, Cursor);
            case 'K': return Erase(Cursor, _text.Length);
            case 'W': return Erase(WordStartBefore(Cursor), Cursor);
            case 'L': return EditorOutcome.ClearScreen;
            case 'P': return Recall(-1);
            case 'N': return Recall(+1);
            case 'J' or 'M': return Submit();
            case 'I': return Insert(' ');
        }
        if (c == '\x7f') return EraseBefore();
        return Insert(c);
    }

    /// <summary>Empties the line after a submit, ready for the next one.</summary>
    public void Clear()
    {
        _text.Clear();
        Cursor = 0;
        _highSurrogate = '\0';
        _escape = EscapeState.None;
    }

    /// <summary>The clusters of the line with their UTF-16 start index, in order.</summary>
    public IEnumerable<(int Start, string Cluster)> Clusters()
    {
        var text = Text;
        for (var i = 0; i < text.Length;)
        {
            var length = StringInfo.GetNextTextElementLength(text, i);
            yield return (i, text.Substring(i, length));
            i += length;
        }
    }

    private EditorOutcome Submit()
    {
        var line = Text;
        if (!string.IsNullOrWhiteSpace(line) && (_history.Count == 0 || _history[^1] != line)) _history.Add(line);
        _historyIndex = _history.Count;
        _draft = "";
        return EditorOutcome.Submit;
    }

    private EditorOutcome Insert(char c)
    {
        // A character outside the BMP comes as two keys, a high surrogate then a low one: the pair is inserted whole.
        if (char.IsHighSurrogate(c))
        {
            _highSurrogate = c;
            return EditorOutcome.None;
        }
        if (char.IsLowSurrogate(c))
        {
            if (_highSurrogate == '\0') return EditorOutcome.None;
            _text.Insert(Cursor, [_highSurrogate, c]);
            _highSurrogate = '\0';
            Cursor += 2;
            Cursor = NextBoundary(PreviousBoundary(Cursor));
            return EditorOutcome.Changed;
        }
        _highSurrogate = '\0';
        if (char.IsControl(c)) return EditorOutcome.None;
        _text.Insert(Cursor, c);
        // A combining mark joins the cluster before it: the cursor stays after that whole cluster.
        Cursor = NextBoundary(PreviousBoundary(Cursor + 1));
        return EditorOutcome.Changed;
    }

    private EditorOutcome EraseBefore() => Erase(PreviousBoundary(Cursor), Cursor);

    private EditorOutcome EraseAfter() => Erase(Cursor, NextBoundary(Cursor));

    private EditorOutcome Erase(int start, int end)
    {
        if (end <= start) return EditorOutcome.None;
        _text.Remove(start, end - start);
        Cursor = start;
        return EditorOutcome.Changed;
    }

    private EditorOutcome MoveTo(int position)
    {
        if (position == Cursor) return EditorOutcome.None;
        Cursor = position;
        return EditorOutcome.Changed;
    }

    /// <summary>Up (-1) or down (+1) through the lines submitted before; coming back down past the newest gives back the line being typed.</summary>
    private EditorOutcome Recall(int step)
    {
        var index = _historyIndex + step;
        if (index < 0 || index > _history.Count) return EditorOutcome.None;
        if (_historyIndex == _history.Count) _draft = Text;
        _historyIndex = index;
        _text.Clear().Append(index == _history.Count ? _draft : _history[index]);
        Cursor = _text.Length;
        return EditorOutcome.Changed;
    }

    /// <summary>The start of the word before <paramref name="position"/>: white space before it is skipped, then everything else (Readline's unix-word-rubout).</summary>
    private int WordStartBefore(int position)
    {
        var i = position;
        while (i > 0 && char.IsWhiteSpace(_text[i - 1])) i = PreviousBoundary(i);
        while (i > 0 && !char.IsWhiteSpace(_text[i - 1])) i = PreviousBoundary(i);
        return i;
    }

    private int PreviousBoundary(int position)
    {
        var previous = 0;
        foreach (var (start, _) in Clusters())
        {
            if (start >= position) break;
            previous = start;
        }
        return previous;
    }

    private int NextBoundary(int position)
    {
        foreach (var (start, cluster) in Clusters())
            if (start + cluster.Length > position) return start + cluster.Length;
        return _text.Length;
    }

    /// <summary>
    /// After Escape: '[' or 'O' starts a sequence whose parameter and intermediate bytes are dropped up to and with its
    /// final byte (0x40-0x7E); anything else ends the escape and is handled as a key.
    /// </summary>
    private bool SkipsEscapeSequence(ConsoleKeyInfo key)
    {
        var c = key.KeyChar;
        if (_escape == EscapeState.Started)
        {
            if (c is '[' or 'O')
            {
                _escape = EscapeState.Sequence;
                return true;
            }
            _escape = EscapeState.None;
            return false;
        }
        if (c is >= '\x20' and <= '\x3f') return true;
        _escape = EscapeState.None;
        return c is >= '\x40' and <= '\x7e';
    }
}
