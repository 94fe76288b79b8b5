using NetJournal.Cli.Commands;
using NetJournal.Protocol;

namespace NetJournal.Cli.Output;

/// <summary>
/// Notes printed in one of the formats of <c>--format</c> (text, JSON Lines, CSV, Markdown): the one place a command
/// picks the writer, shared by <c>history</c>, the session and <c>follow</c>. <see cref="Flush"/> hands what was written
/// to the output: after each note when following, so a pipe sees every note at once.
/// </summary>
public sealed class NoteOutput : IDisposable
{
    private readonly TextWriter _out;
    private readonly NoteTextWriter? _text;
    private readonly NoteJsonWriter? _json;
    private readonly NoteCsvWriter? _csv;
    private readonly NoteMarkdownWriter? _markdown;

    /// <param name="live">Notes come one at a time as they are stored: text columns never narrow.</param>
    public NoteOutput(OutputFormat format, CliContext context, bool showAddress, bool live = false)
    {
        _out = context.Out;
        switch (format)
        {
            case OutputFormat.Json:
                _json = new NoteJsonWriter(context.Out);
                break;
            case OutputFormat.Csv:
                _csv = new NoteCsvWriter(context.Out);
                break;
            case OutputFormat.Md:
                _markdown = new NoteMarkdownWriter(context.Out, context.Zone);
                break;
            default:
                _text = new NoteTextWriter(context.Out, context.Zone, showAddress, context.OutputIsTerminal, live);
                break;
        }
    }

    /// <summary>Notes written, in every format.</summary>
    public long Written { get; private set; }

    public void Write(Note note)
    {
        if (_json is not null) _json.Write(note);
        else if (_csv is not null) _csv.Write(note);
        else if (_markdown is not null) _markdown.Write(note);
        else _text!.Write(note);
        Written++;
    }

    /// <summary>Writes out what the format held back (text aligns its columns over the notes it holds), and flushes the output.</summary>
    public void Flush()
    {
        _text?.Flush();
        _csv?.Flush();
        _out.Flush();
    }

    /// <summary>Writes out what is held back, without flushing the output itself.</summary>
    public void Dispose()
    {
        _text?.Flush();
        _csv?.Dispose();
    }
}
