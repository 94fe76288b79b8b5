using System.Globalization;
using System.Net;
using System.Text;

namespace NetJournal.Protocol.Syslog;

/// <summary>
/// Formats a stored note as one RFC 5424 datagram, what <c>netjournal serve --forward</c> sends:
/// <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME - SEQ SD BOM TEXT</c>. Pure; <see cref="SyslogParser"/> reads it back.
/// </summary>
public static class Rfc5424Writer
{
    /// <summary>user.notice: the PRI of notes that did not come by syslog (facility 1 × 8 + severity 5).</summary>
    public const byte DefaultPriority = 13;

    /// <summary>
    /// The SD-ID that carries a client name APP-NAME cannot hold. 32473 is the enterprise number set aside for
    /// documentation (RFC 5612): NetJournal has no number of its own, and this one can never clash with a real one.
    /// </summary>
    public const string StructuredDataId = "netjournal@32473";

    public const int MaxAppName = 48;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    public static byte[] Format(Note note)
    {
        var appName = AppName(note.Client);
        var header = new StringBuilder(128)
            .Append('<').Append((note.Priority ?? DefaultPriority).ToString(CultureInfo.InvariantCulture)).Append(">1 ")
            .Append(note.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(Hostname(note.Address)).Append(' ')
            .Append(appName).Append(" - ")
            .Append(note.Seq.ToString(CultureInfo.InvariantCulture)).Append(' ');
        // The exact name rides in structured data only when APP-NAME had to change it, so MSG stays the note's exact text.
        if (appName == note.Client) header.Append('-');
        else header.Append('[').Append(StructuredDataId).Append(" client=\"").Append(EscapeParamValue(note.Client)).Append("\"]");
        header.Append(' ');

        var headerBytes = Encoding.UTF8.GetByteCount(header.ToString());
        var datagram = new byte[headerBytes + Bom.Length + Encoding.UTF8.GetByteCount(note.Text)];
        var written = Encoding.UTF8.GetBytes(header.ToString(), datagram);
        Bom.CopyTo(datagram.AsSpan(written));
        Encoding.UTF8.GetBytes(note.Text, datagram.AsSpan(written + Bom.Length));
        return datagram;
    }

    /// <summary>
    /// The client name as APP-NAME: every character outside printable ASCII (33–126, so spaces, CJK and emoji too)
    /// becomes '_', cut to 48 characters; a name of just "-" becomes "_" because "-" means nil.
    /// </summary>
    public static string AppName(string client)
    {
        var sb = new StringBuilder(Math.Min(client.Length, MaxAppName));
        foreach (var rune in client.EnumerateRunes())
        {
            if (sb.Length == MaxAppName) break;
            sb.Append(rune.Value is >= 33 and <= 126 ? (char)rune.Value : '_');
        }
        var name = sb.ToString();
        return name is "" or "-" ? "_" : name;
    }

    /// <summary>
    /// HOSTNAME is the machine the note came from (RFC 5424 §6.2.4 prefers an IP to nil): the note's source IP,
    /// or nil for an address that is not IP:port.
    /// </summary>
    public static string Hostname(string address) =>
        IPEndPoint.TryParse(address, out var endPoint) ? endPoint.Address.ToString() : "-";

    /// <summary>RFC 5424 §6.3.3: inside a PARAM-VALUE, '"', '\' and ']' are escaped with a backslash.</summary>
    public static string EscapeParamValue(string value)
    {
        if (value.AsSpan().IndexOfAny('"', '\\', ']') < 0) return value;
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
