using System.Globalization;
using CsvHelper;
using NetJournal.Protocol;

namespace NetJournal.Cli.Output;

/// <summary>
/// RFC 4180 CSV: a header row, then one row per note with every field JSON output has (empty where a note has
/// none). Text is kept exact, quoted where it needs to be; CSV is data, not something printed for people.
/// </summary>
public sealed class NoteCsvWriter : IDisposable
{
    public static readonly string[] Header = ["seq", "time", "client", "address", "text", "origin", "facility", "severity"];

    private readonly CsvWriter _csv;

    /// <summary>CsvHelper's defaults are RFC 4180 (CRLF, quotes only where needed) and no formula mangling, so text stays exact.</summary>
    public NoteCsvWriter(TextWriter output)
    {
        _csv = CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true);
        _csv.WriteHeader(Header);
    }

    public void Write(Note note)
    {
        _csv.WriteField(note.Seq.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(NoteJson.FormatTime(note.TimeMs));
        _csv.WriteField(note.Client);
        _csv.WriteField(note.Address);
        _csv.WriteField(note.Text);
        _csv.WriteField(Origin(note.Origin));
        _csv.WriteField(note.Facility?.ToString(CultureInfo.InvariantCulture) ?? "");
        _csv.WriteField(note.Severity?.ToString(CultureInfo.InvariantCulture) ?? "");
        _csv.EndRecord();
    }

    /// <summary>The same words as JSON output; a native note has no origin there, so the field is empty here.</summary>
    public static string Origin(NoteOrigin origin) => origin switch
    {
        NoteOrigin.Native => "",
        _ => NoteJson.OriginText(origin).Value,
    };

    /// <summary>Writes what is buffered to the output (left open).</summary>
    /// <summary>Hands the rows written so far to the output (a follow prints each note as it comes).</summary>
    public void Flush() => _csv.Flush();

    public void Dispose() => _csv.Dispose();
}
