using System.Globalization;
using NetJournal.Protocol;

namespace NetJournal.Cli.Output;

/// <summary>
/// Prints notes for people: a heading per day, then `HH:MM:SS  name  text` in local time with the name
/// column aligned by display width. Notes are buffered a day (or a thousand notes) at a time to align them; with
/// <paramref name="live"/> (notes printed as they come, a Flush after each) the columns never narrow, so they stay aligned.
/// </summary>
public sealed class NoteTextWriter(TextWriter output, TimeZoneInfo zone, bool showAddress = false, bool color = false, bool live = false)
{
    private int _nameWidth, _addressWidth;

    private const int MaxNameColumns = 24;
    private readonly List<Note> _pending = [];

    // A history holds few names and many notes: each name is made safe and measured once.
    private readonly Dictionary<string, (string Safe, int Width)> _names = [];
    private DateOnly? _day;

    public int Written { get; private set; }

    public void Write(Note note)
    {
        var day = DateOnly.FromDateTime(LocalTime(note));
        if (_day != day || _pending.Count >= 1000) Flush();
        if (_day != day)
        {
            if (Written > 0 || _pending.Count > 0) output.WriteLine();
            var heading = $"── {day.ToString("yyyy-MM-dd dddd", CultureInfo.InvariantCulture)} ──";
            output.WriteLine(color ? $"\u001b[1m{heading}\u001b[0m" : heading);
            _day = day;
        }
        _pending.Add(note);
    }

    public void Flush()
    {
        if (_pending.Count == 0) return;
        var nameWidth = Math.Min(MaxNameColumns, _pending.Max(n => Name(n).Width));
        var addressWidth = showAddress ? _pending.Max(n => n.Address.Length) : 0;
        if (live)
        {
            nameWidth = _nameWidth = Math.Max(_nameWidth, nameWidth);
            addressWidth = _addressWidth = Math.Max(_addressWidth, addressWidth);
        }
        foreach (var n in _pending)
        {
            var time = LocalTime(n).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            var (safe, width) = Name(n);
            var name = DisplayWidth.Pad(safe, nameWidth, width);
            if (color) name = $"\u001b[36m{name}\u001b[0m";
            var address = showAddress ? "  " + n.Address.PadRight(addressWidth) : "";
            output.WriteLine($"{time}  {name}{address}  {TerminalText.Sanitize(n.Text)}");
            Written++;
        }
        _pending.Clear();
    }

    private (string Safe, int Width) Name(Note n)
    {
        if (_names.TryGetValue(n.Client, out var name)) return name;
        var safe = TerminalText.Sanitize(n.Client);
        if (_names.Count >= 10_000) _names.Clear();
        return _names[n.Client] = (safe, DisplayWidth.Of(safe));
    }

    private DateTime LocalTime(Note n) => TimeZoneInfo.ConvertTime(n.Time, zone).DateTime;
}
