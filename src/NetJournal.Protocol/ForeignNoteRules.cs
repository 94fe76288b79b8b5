using System.Globalization;
using System.Text;

namespace NetJournal.Protocol;

/// <summary>
/// What becomes of a plain-text or syslog note that breaks <see cref="NoteRules"/>. Such a sender is never
/// answered, so it cannot be told: instead of refusing, the server keeps what it can. Line breaks stay in the
/// text (the journal's JSON escapes them), a text over <see cref="ProtocolConstants.MaxNoteBytes"/> bytes is cut
/// and marked (<see cref="CutText(ReadOnlySpan{byte})"/>), a name over <see cref="ProtocolConstants.MaxNameBytes"/>
/// bytes is cut (<see cref="CutName"/>). Only an empty text is refused: there is nothing to keep.
/// Native notes keep <see cref="NoteRules"/>, since their client is told.
/// </summary>
public static class ForeignNoteRules
{
    /// <summary>Ends a cut text: the ellipsis, then how many bytes of UTF-8 were left out (<c>… [cut: 904 bytes]</c>).</summary>
    public const string CutMarkFormat = "… [cut: {0} bytes]";

    /// <summary>True when <paramref name="text"/> is more than <see cref="ProtocolConstants.MaxNoteBytes"/> bytes of UTF-8.</summary>
    public static bool IsTooLong(string text) =>
        text.Length * 3 > ProtocolConstants.MaxNoteBytes && Encoding.UTF8.GetByteCount(text) > ProtocolConstants.MaxNoteBytes;

    /// <summary>
    /// <paramref name="utf8"/> (valid UTF-8, longer than the limit) cut where no character is split, followed by
    /// <see cref="CutMarkFormat"/> with the number of bytes left out; the whole is at most
    /// <see cref="ProtocolConstants.MaxNoteBytes"/> bytes of UTF-8. A text within the limit is returned whole.
    /// </summary>
    public static string CutText(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= ProtocolConstants.MaxNoteBytes) return Encoding.UTF8.GetString(utf8);
        var mark = "";
        var keep = ProtocolConstants.MaxNoteBytes;
        // The mark's length depends on the count it shows, which depends on the mark's length: settle both.
        for (var markBytes = 0; ; )
        {
            keep = CharacterBoundary(utf8, ProtocolConstants.MaxNoteBytes - markBytes);
            mark = string.Format(CultureInfo.InvariantCulture, CutMarkFormat, utf8.Length - keep);
            var needed = Encoding.UTF8.GetByteCount(mark);
            if (needed <= markBytes) break;
            markBytes = needed;
        }
        return Encoding.UTF8.GetString(utf8[..keep]) + mark;
    }

    /// <summary>The same as <see cref="CutText(ReadOnlySpan{byte})"/> for a text held as a string.</summary>
    public static string CutText(string text) => IsTooLong(text) ? CutText(Encoding.UTF8.GetBytes(text)) : text;

    /// <summary>
    /// <paramref name="name"/> cut to at most <paramref name="maxBytes"/> bytes of UTF-8 (by default
    /// <see cref="ProtocolConstants.MaxNameBytes"/>), where no character is split; a name that fits is returned as it is.
    /// </summary>
    public static string CutName(string name, int maxBytes = ProtocolConstants.MaxNameBytes)
    {
        if (name.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(name) <= maxBytes) return name;
        var utf8 = Encoding.UTF8.GetBytes(name);
        return Encoding.UTF8.GetString(utf8.AsSpan(0, CharacterBoundary(utf8, maxBytes)));
    }

    /// <summary>The largest length up to <paramref name="max"/> that ends between two UTF-8 sequences.</summary>
    private static int CharacterBoundary(ReadOnlySpan<byte> utf8, int max)
    {
        if (max >= utf8.Length) return utf8.Length;
        var end = Math.Max(max, 0);
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) end--;
        return end;
    }
}
