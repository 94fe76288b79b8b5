using System.Globalization;
using System.Text;
using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// The classroom protocol's history: one line <c>YYYY-MM-DD HH:MM:SS:name:text</c> per note (UTC), oldest first,
/// packed into datagrams of at most <see cref="MaxDatagramBytes"/> bytes that break only between lines.
/// A single line longer than that is cut at a character boundary and continues in the next datagram.
/// </summary>
public static class PlainHistoryFormat
{
    public const int MaxDatagramBytes = 1024;

    /// <summary>
    /// The note's line, its name and text escaped by <see cref="TextEscaping.Escape"/>: a note cannot recolour or move
    /// the cursor of the terminal that <c>nc</c> prints it on, nor break its line in two.
    /// </summary>
    public static string Line(Note note) =>
        DateTimeOffset.FromUnixTimeMilliseconds(note.TimeMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        + ":" + TextEscaping.Escape(note.Client) + ":" + TextEscaping.Escape(note.Text) + "\n";

    /// <summary>Adds each line to the datagram being filled, and hands each full datagram to <paramref name="send"/>.</summary>
    public static void Pack(IEnumerable<Note> notes, Action<ReadOnlySpan<byte>> send, int maxDatagramBytes = MaxDatagramBytes)
    {
        var datagram = new byte[maxDatagramBytes];
        var used = 0;
        foreach (var note in notes)
        {
            var line = Encoding.UTF8.GetBytes(Line(note));
            if (used > 0 && used + line.Length > maxDatagramBytes)
            {
                send(datagram.AsSpan(0, used));
                used = 0;
            }
            var rest = line.AsSpan();
            while (rest.Length > maxDatagramBytes - used)
            {
                // Only a line longer than a whole datagram gets here: cut it where no UTF-8 sequence is split.
                var cut = maxDatagramBytes - used;
                while (cut > 0 && (rest[cut] & 0xC0) == 0x80) cut--;
                rest[..cut].CopyTo(datagram.AsSpan(used));
                send(datagram.AsSpan(0, used + cut));
                used = 0;
                rest = rest[cut..];
            }
            rest.CopyTo(datagram.AsSpan(used));
            used += rest.Length;
        }
        if (used > 0) send(datagram.AsSpan(0, used));
    }
}
