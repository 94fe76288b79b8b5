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
            NoteOrigin.PlainText => ", plain",
            _ => "",
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- {local:HH:mm:ss} **{Escape(note.Client)}** ({Escape(note.Address)}, #{note.Seq}{origin}) {Escape(note.Text)}"));
    }

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
