using System.Globalization;
using System.Text;
using NetJournal.Protocol;
using NetJournal.Protocol.Syslog;

namespace NetJournal.Cli.Output;

/// <summary>
/// Markdown to paste into a document: a <c>## YYYY-MM-DD</c> heading per day (local time, as text output), then
/// <c>- HH:MM:SS **name** (address, #seq[, origin]) text</c> per note, with the syslog priority as
/// <c>syslog local3.err</c>. Name, address and text are escaped so that they render as typed and cannot add links,
/// HTML or emphasis; control and bidi characters become visible escapes, as on a terminal.
/// </summary>
public sealed class NoteMarkdownWriter(TextWriter output, TimeZoneInfo zone)
{
    private DateOnly? _day;

    public void Write(Note note)
    {
        var local = TimeZoneInfo.ConvertTime(note.Time, zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        if (_day != day)
        {
            if (_day is not null) output.WriteLine();
            output.WriteLine($"## {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            output.WriteLine();
            _day = day;
        }
        var origin = note.Origin switch
        {
            NoteOrigin.Syslog => note.Priority is { } pri ? ", syslog " + SyslogNames.Priority(pri) : ", syslog",
            NoteOrigin.Native => "",
            _ => ", " + NoteJson.OriginText(note.Origin).Value,
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- {local:HH:mm:ss} **{EscapeName(note.Client)}** ({Escape(note.Address)}, #{note.Seq}{origin}) {Escape(note.Text)}"));
    }

    /// <summary>
    /// A name to put between <c>**</c>: <see cref="Escape"/>d, and with whitespace at either end written as a character
    /// reference (<c>&amp;#32;</c>). CommonMark opens emphasis only at a left-flanking delimiter run (not followed by
    /// whitespace) and closes it only at a right-flanking one, so <c>** alice**</c> is not bold; <c>**&amp;#32;alice**</c>
    /// is, and renders the space.
    /// </summary>
    public static string EscapeName(string name)
    {
        var escaped = Escape(name);
        var start = 0;
        while (start < escaped.Length && IsMarkdownWhitespace(escaped[start])) start++;
        if (start == escaped.Length) return Reference(escaped);
        var end = escaped.Length;
        while (IsMarkdownWhitespace(escaped[end - 1])) end--;
        if (start == 0 && end == escaped.Length) return escaped;
        return Reference(escaped[..start]) + escaped[start..end] + Reference(escaped[end..]);
    }

    // CommonMark's "Unicode whitespace": the Zs category, tab, line feed, form feed and carriage return (the last four
    // are escaped already by then).
    private static bool IsMarkdownWhitespace(char c) => c is '\t' or '\n' or '\f' or '\r' || char.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator;

    private static string Reference(string whitespace) =>
        string.Concat(whitespace.Select(c => string.Create(CultureInfo.InvariantCulture, $"&#{(int)c};")));

    /// <summary>
    /// Backslash before every character that means something inline in CommonMark/GFM (code, emphasis,
    /// strikethrough, links, HTML, entities, table cells). A note is never at the start of a line, so block
    /// markers (#, -, 1.) need nothing.
    /// </summary>
    public static string Escape(string text)
    {
        var safe = TerminalText.Sanitize(text);
        var sb = new StringBuilder(safe.Length + 8);
        foreach (var c in safe)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '&' or '~' or '|') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
