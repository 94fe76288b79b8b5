using System.Globalization;
using System.Text;
using NetJournal.Cli.Output;

namespace NetJournal.Cli.Editing;

/// <summary>
/// Draws the prompt and the line being typed on one terminal row, as ANSI text (ECMA-48). A line wider than the row
/// scrolls sideways so the cursor stays in view; every cluster is measured as <see cref="DisplayWidth"/> measures it,
/// so the cursor sits after a Chinese character, not inside it. What is shown is what <see cref="TerminalText"/> makes
/// safe (a bidirectional override shows as <c>\u202e</c>); the line itself is kept as typed.
/// </summary>
public sealed class LineView(string prompt)
{
    private const string EraseToEnd = "\u001b[K";
    private readonly int _promptWidth = DisplayWidth.Of(prompt);

    /// <summary>The first cluster shown when the line is wider than the row.</summary>
    private int _first;

    /// <summary>
    /// The bytes that redraw the row: carriage return, prompt, the part of the line that fits in
    /// <paramref name="columns"/> (the last column is left free, so the terminal never wraps), erase to the end of the
    /// row, and the cursor put back where the editor's cursor is.
    /// </summary>
    public string Draw(LineEditor editor, int columns)
    {
        var clusters = new List<(string Shown, int Width)>();
        var cursor = -1;
        foreach (var (start, cluster) in editor.Clusters())
        {
            if (start == editor.Cursor) cursor = clusters.Count;
            var shown = TerminalText.Sanitize(cluster);
            clusters.Add((shown, DisplayWidth.Of(shown)));
        }
        if (cursor < 0) cursor = clusters.Count;

        var room = Math.Max(2, columns - _promptWidth - 1);
        if (cursor < _first) _first = cursor;
        while (_first < cursor && Width(clusters, _first, cursor) > room) _first++;
        if (_first > 0 && Width(clusters, _first - 1, clusters.Count) <= room) _first = 0;

        var sb = new StringBuilder("\r").Append(prompt);
        var used = 0;
        var column = _promptWidth;
        for (var i = _first; i < clusters.Count && used + clusters[i].Width <= room; i++)
        {
            sb.Append(clusters[i].Shown);
            used += clusters[i].Width;
            if (i < cursor) column += clusters[i].Width;
        }
        sb.Append(EraseToEnd).Append('\r');
        if (column > 0) sb.Append(CultureInfo.InvariantCulture, $"\u001b[{column}C");
        return sb.ToString();
    }

    /// <summary>The row once the line is submitted: prompt and the whole line (the terminal wraps it), then a new line.</summary>
    public string Submitted(string line)
    {
        _first = 0;
        return $"\r{prompt}{TerminalText.Sanitize(line)}{EraseToEnd}\n";
    }

    /// <summary>Erases the row, so other text can be printed where it was.</summary>
    public static string Erase => "\r" + EraseToEnd;

    /// <summary>Clears the screen and puts the cursor at its top left (Ctrl-L).</summary>
    public static string ClearScreen => "\u001b[H\u001b[2J";

    private static int Width(List<(string Shown, int Width)> clusters, int from, int to)
    {
        var width = 0;
        for (var i = from; i < to; i++) width += clusters[i].Width;
        return width;
    }
}
