using System.Text;

namespace NetJournal.Protocol.Syslog;

/// <summary>
/// Parses RFC 5424 and RFC 3164 syslog datagrams. Pure and allocation-light; anything that does not
/// follow one of the two header layouts (or whose MSG is not UTF-8) is refused, so the caller can keep
/// it as plain text instead.
/// </summary>
public static class SyslogParser
{
    public const int MaxPriority = 191;

    // RFC 5424 §6: header field limits.
    private const int MaxHostname = 255;
    private const int MaxAppName = 48;
    private const int MaxProcId = 128;
    private const int MaxMsgId = 32;
    private const int MaxTag = 48;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static bool TryParse(ReadOnlySpan<byte> datagram, out SyslogMessage message)
    {
        message = null!;
        if (!TryReadPriority(datagram, out var priority, out var rest)) return false;
        var parsed = rest.StartsWith("1 "u8) ? ParseRfc5424(priority, rest[2..]) : ParseRfc3164(priority, rest);
        if (parsed is null) return false;
        message = parsed;
        return true;
    }

    /// <summary><c>&lt;</c>, 1 to 3 digits without leading zeros, <c>&gt;</c>; the value at most 191 (facility 23, severity 7).</summary>
    private static bool TryReadPriority(ReadOnlySpan<byte> datagram, out byte priority, out ReadOnlySpan<byte> rest)
    {
        priority = 0;
        rest = default;
        if (datagram.Length < 3 || datagram[0] != (byte)'<') return false;
        var value = 0;
        var i = 1;
        for (; i < datagram.Length && i <= 4 && IsDigit(datagram[i]); i++) value = value * 10 + (datagram[i] - '0');
        var digits = i - 1;
        if (digits is 0 or > 3 || i >= datagram.Length || datagram[i] != (byte)'>') return false;
        if (digits > 1 && datagram[1] == (byte)'0') return false;
        if (value > MaxPriority) return false;
        priority = (byte)value;
        rest = datagram[(i + 1)..];
        return true;
    }

    private static SyslogMessage? ParseRfc5424(byte priority, ReadOnlySpan<byte> rest)
    {
        if (!TryReadField(ref rest, 128, out var timestamp)
            || !TryReadField(ref rest, MaxHostname, out var hostname)
            || !TryReadField(ref rest, MaxAppName, out var appName)
            || !TryReadField(ref rest, MaxProcId, out var procId)
            || !TryReadField(ref rest, MaxMsgId, out var msgId, lastBeforeData: true))
            return null;
        if (!TryReadStructuredData(ref rest, out var structuredData)) return null;
        // After SD comes either the end of the datagram or one space and the MSG.
        if (!rest.IsEmpty)
        {
            if (rest[0] != (byte)' ') return null;
            rest = rest[1..];
        }
        if (rest.StartsWith(Bom)) rest = rest[Bom.Length..];
        if (!TryDecodeMessage(rest, out var text)) return null;
        return new SyslogMessage(SyslogFormat.Rfc5424, priority, timestamp, hostname, appName, procId, msgId, structuredData, text);
    }

    /// <summary>One header field of printable ASCII followed by a space; <c>-</c> is nil.</summary>
    private static bool TryReadField(ref ReadOnlySpan<byte> rest, int maxLength, out string? value, bool lastBeforeData = false)
    {
        value = null;
        var end = rest.IndexOf((byte)' ');
        if (end <= 0 || end > maxLength) return false;
        var field = rest[..end];
        foreach (var b in field)
            if (b is < 33 or > 126) return false;
        rest = rest[(end + 1)..];
        if (lastBeforeData && rest.IsEmpty) return false;
        value = field.SequenceEqual("-"u8) ? null : Encoding.ASCII.GetString(field);
        return true;
    }

    /// <summary>
    /// <c>-</c>, or one or more <c>[SD-ID name="value" ...]</c> elements side by side. Inside a quoted value a
    /// backslash escapes the next byte, so <c>\]</c> and <c>\"</c> do not end anything.
    /// </summary>
    private static bool TryReadStructuredData(ref ReadOnlySpan<byte> rest, out string? structuredData)
    {
        structuredData = null;
        if (rest.IsEmpty) return false;
        if (rest[0] == (byte)'-')
        {
            rest = rest[1..];
            return true;
        }
        var i = 0;
        while (i < rest.Length && rest[i] == (byte)'[')
        {
            var inQuotes = false;
            i++;
            var closed = false;
            for (; i < rest.Length; i++)
            {
                var b = rest[i];
                if (inQuotes)
                {
                    if (b == (byte)'\\') i++;
                    else if (b == (byte)'"') inQuotes = false;
                }
                else if (b == (byte)'"') inQuotes = true;
                else if (b == (byte)']')
                {
                    closed = true;
                    i++;
                    break;
                }
            }
            if (!closed) return false;
        }
        if (i == 0) return false;
        if (!Utf8Text.TryDecode(rest[..i], out var text)) return false;
        structuredData = text;
        rest = rest[i..];
        return true;
    }

    private static SyslogMessage? ParseRfc3164(byte priority, ReadOnlySpan<byte> rest)
    {
        // "Mmm dd hh:mm:ss " is exactly 16 bytes; a one-digit day is padded with a space ("Nov  5").
        if (rest.Length < 16 || !IsBsdTimestamp(rest[..15]) || rest[15] != (byte)' ') return null;
        var timestamp = Encoding.ASCII.GetString(rest[..15]);
        rest = rest[16..];

        string? hostname = null;
        var firstSpace = rest.IndexOf((byte)' ');
        if (firstSpace > 0 && !LooksLikeTag(rest[..firstSpace]))
        {
            if (firstSpace > MaxHostname || !IsPrintableAscii(rest[..firstSpace])) return null;
            hostname = Encoding.ASCII.GetString(rest[..firstSpace]);
            rest = rest[(firstSpace + 1)..];
        }

        string? tag = null, procId = null;
        if (TryReadTag(ref rest, out var tagText, out var pidText))
        {
            tag = tagText;
            procId = pidText;
        }
        if (!TryDecodeMessage(rest, out var text)) return null;
        return new SyslogMessage(SyslogFormat.Rfc3164, priority, timestamp, hostname, tag, procId, null, null, text);
    }

    /// <summary>A token ending in ':' or holding '[' is the TAG of a sender that left out HOSTNAME.</summary>
    private static bool LooksLikeTag(ReadOnlySpan<byte> token) => token[^1] == (byte)':' || token.IndexOf((byte)'[') > 0;

    /// <summary><c>TAG: </c> or <c>TAG[pid]: </c>. Without the colon the text is all MSG and there is no tag.</summary>
    private static bool TryReadTag(ref ReadOnlySpan<byte> rest, out string? tag, out string? procId)
    {
        tag = null;
        procId = null;
        var end = rest.IndexOfAny((byte)':', (byte)'[', (byte)' ');
        if (end <= 0 || end > MaxTag || rest[end] == (byte)' ') return false;
        var tagBytes = rest[..end];
        if (!IsPrintableAscii(tagBytes)) return false;
        var after = rest[end..];
        if (after[0] == (byte)'[')
        {
            var close = after.IndexOf((byte)']');
            if (close < 2 || close > MaxProcId + 1 || !IsPrintableAscii(after[1..close])) return false;
            procId = Encoding.ASCII.GetString(after[1..close]);
            after = after[(close + 1)..];
            if (after.IsEmpty || after[0] != (byte)':') return false;
        }
        after = after[1..];
        if (!after.IsEmpty && after[0] == (byte)' ') after = after[1..];
        tag = Encoding.ASCII.GetString(tagBytes);
        rest = after;
        return true;
    }

    private static bool IsBsdTimestamp(ReadOnlySpan<byte> t)
    {
        var monthOk = false;
        foreach (var m in Months)
            if (t[0] == m[0] && t[1] == m[1] && t[2] == m[2]) monthOk = true;
        return monthOk && t[3] == (byte)' '
            && (t[4] == (byte)' ' || IsDigit(t[4])) && IsDigit(t[5]) && t[6] == (byte)' '
            && IsDigit(t[7]) && IsDigit(t[8]) && t[9] == (byte)':'
            && IsDigit(t[10]) && IsDigit(t[11]) && t[12] == (byte)':'
            && IsDigit(t[13]) && IsDigit(t[14]);
    }

    /// <summary>MSG as strict UTF-8 with trailing CR/LF cut; invalid UTF-8 refuses the whole datagram.</summary>
    private static bool TryDecodeMessage(ReadOnlySpan<byte> msg, out string text)
    {
        var end = msg.Length;
        while (end > 0 && msg[end - 1] is (byte)'\r' or (byte)'\n') end--;
        return Utf8Text.TryDecode(msg[..end], out text);
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (b is < 33 or > 126) return false;
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
