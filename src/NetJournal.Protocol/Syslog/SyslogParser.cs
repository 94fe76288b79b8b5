using System.Text;

namespace NetJournal.Protocol.Syslog;

/// <summary>
/// Parses syslog datagrams as rsyslog and syslog-ng accept them: RFC 5424, and the BSD layout (RFC 3164) with the
/// variants real senders use (see <c>docs/protocol.md</c>, "Syslog"). Pure and allocation-light. Only a datagram
/// without a valid <c>&lt;PRI&gt;</c> is refused, so the caller can keep it as plain text; after a valid PRI, an RFC 5424
/// header that does not parse is read in the BSD layout, which keeps whatever follows the PRI as the MSG.
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

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>
    /// Reads <paramref name="datagram"/> as syslog. Trailing NUL, CR and LF are dropped first; MSG is decoded by
    /// <see cref="ForeignText.Decode"/>, so a MSG that is not UTF-8 does not refuse the datagram.
    /// </summary>
    /// <returns>False only when the datagram does not start with a valid <c>&lt;PRI&gt;</c>.</returns>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out SyslogMessage message)
    {
        message = null!;
        if (!TryReadPriority(ForeignText.TrimEnd(datagram), out var priority, out var rest)) return false;
        message = (rest.StartsWith("1 "u8) ? ParseRfc5424(priority, rest[2..]) : null) ?? ParseRfc3164(priority, rest);
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
        var text = ForeignText.Decode(ForeignText.TrimBom(rest));
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

    /// <summary>
    /// The BSD layout (RFC 3164) as real senders send it: <c>[SEQ: ][*|.]TIMESTAMP[:] HOSTNAME TAG[pid]: MSG</c>, where
    /// TIMESTAMP is <see cref="BsdTimestampLength"/> or <see cref="Rfc3339Length"/>. Never refuses: without a
    /// timestamp there is no HOSTNAME and the rest is the MSG, as RFC 3164 §4.3.2 has a relay keep such a message.
    /// </summary>
    private static SyslogMessage ParseRfc3164(byte priority, ReadOnlySpan<byte> rest)
    {
        // Cisco IOS puts its message counter first ("52: "); syslog-ng skips it the same way.
        rest = SkipSequenceNumber(rest);
        string? timestamp = null, hostname = null;
        if (TryReadTimestamp(rest, out var timestampBytes, out var afterTimestamp))
        {
            timestamp = Encoding.ASCII.GetString(timestampBytes);
            rest = afterTimestamp;
            var firstSpace = rest.IndexOf((byte)' ');
            if (firstSpace > 0 && firstSpace <= MaxHostname && !LooksLikeTag(rest[..firstSpace]) && IsPrintableAscii(rest[..firstSpace]))
            {
                hostname = Encoding.ASCII.GetString(rest[..firstSpace]);
                rest = rest[(firstSpace + 1)..];
            }
        }
        TryReadTag(ref rest, out var tag, out var procId);
        return new SyslogMessage(SyslogFormat.Rfc3164, priority, timestamp, hostname, tag, procId, null, null, ForeignText.Decode(rest));
    }

    /// <summary>Digits, <c>:</c> and a space (Cisco's <c>service sequence-numbers</c>); anything else is left as it is.</summary>
    private static ReadOnlySpan<byte> SkipSequenceNumber(ReadOnlySpan<byte> rest)
    {
        var i = 0;
        while (i < rest.Length && IsDigit(rest[i])) i++;
        if (i == 0 || i + 1 >= rest.Length || rest[i] != (byte)':' || rest[i + 1] != (byte)' ') return rest;
        i += 2;
        while (i < rest.Length && rest[i] == (byte)' ') i++;
        return rest[i..];
    }

    /// <summary>
    /// A timestamp and what ends it: Cisco's clock mark first (<c>*</c> not synchronised, <c>.</c> synchronised),
    /// an optional <c>:</c> after it (Cisco), then a space or the end of the datagram.
    /// </summary>
    private static bool TryReadTimestamp(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> timestamp, out ReadOnlySpan<byte> after)
    {
        timestamp = after = default;
        var start = !rest.IsEmpty && rest[0] is (byte)'*' or (byte)'.' ? 1 : 0;
        var candidate = rest[start..];
        var length = Rfc3339Length(candidate);
        if (length == 0) length = BsdTimestampLength(candidate);
        if (length == 0) return false;
        var end = length;
        if (end < candidate.Length && candidate[end] == (byte)':') end++;
        if (end < candidate.Length)
        {
            if (candidate[end] != (byte)' ') return false;
            end++;
        }
        timestamp = candidate[..length];
        after = candidate[end..];
        return true;
    }

    /// <summary>
    /// The length of a BSD timestamp at the start of <paramref name="t"/>, or 0: <c>[YYYY ]Mmm dd [YYYY ]hh:mm:ss[.fff]</c>.
    /// As rsyslog's ParseTIMESTAMP3164 accepts: the month in any case; the day space-padded (<c>Nov  3</c>), not padded
    /// (<c>Nov 3</c>) or two digits; a year (1970–2100) before the month (Brocade) or before the time (Cisco); 1 to 9
    /// digits of fraction (Cisco's milliseconds). Values are range-checked (day 1–31, hour 0–23, minute 0–59, second 0–60).
    /// </summary>
    private static int BsdTimestampLength(ReadOnlySpan<byte> t)
    {
        var i = 0;
        var hasYear = TryReadYear(t, ref i);
        if (!TryReadMonth(t, ref i) || !Expect(t, ref i, (byte)' ')) return 0;
        if (i < t.Length && t[i] == (byte)' ') i++;
        if (!TryReadNumber(t, ref i, 1, 2, out var day) || day is < 1 or > 31 || !Expect(t, ref i, (byte)' ')) return 0;
        if (!hasYear) TryReadYear(t, ref i);
        if (!TryReadNumber(t, ref i, 2, 2, out var hour) || hour > 23 || !Expect(t, ref i, (byte)':')
            || !TryReadNumber(t, ref i, 2, 2, out var minute) || minute > 59 || !Expect(t, ref i, (byte)':')
            || !TryReadNumber(t, ref i, 2, 2, out var second) || second > 60)
            return 0;
        if (i < t.Length && t[i] == (byte)'.')
        {
            var fraction = i + 1;
            if (!TryReadNumber(t, ref fraction, 1, 9, out _)) return 0;
            i = fraction;
        }
        return i;
    }

    /// <summary>
    /// The length of an RFC 3339 timestamp at the start of <paramref name="t"/>, or 0:
    /// <c>YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)</c>, as rsyslog's RSYSLOG_ForwardFormat puts in the BSD layout.
    /// </summary>
    private static int Rfc3339Length(ReadOnlySpan<byte> t)
    {
        var i = 0;
        if (!TryReadNumber(t, ref i, 4, 4, out _) || !Expect(t, ref i, (byte)'-')
            || !TryReadNumber(t, ref i, 2, 2, out var month) || month is < 1 or > 12 || !Expect(t, ref i, (byte)'-')
            || !TryReadNumber(t, ref i, 2, 2, out var day) || day is < 1 or > 31
            || i >= t.Length || t[i] is not ((byte)'T' or (byte)'t'))
            return 0;
        i++;
        if (!TryReadNumber(t, ref i, 2, 2, out var hour) || hour > 23 || !Expect(t, ref i, (byte)':')
            || !TryReadNumber(t, ref i, 2, 2, out var minute) || minute > 59 || !Expect(t, ref i, (byte)':')
            || !TryReadNumber(t, ref i, 2, 2, out var second) || second > 60)
            return 0;
        if (i < t.Length && t[i] == (byte)'.')
        {
            i++;
            if (!TryReadNumber(t, ref i, 1, 9, out _)) return 0;
        }
        if (i < t.Length && t[i] is (byte)'Z' or (byte)'z') return i + 1;
        if (i >= t.Length || t[i] is not ((byte)'+' or (byte)'-')) return 0;
        i++;
        if (!TryReadNumber(t, ref i, 2, 2, out var offsetHours) || offsetHours > 23 || !Expect(t, ref i, (byte)':')
            || !TryReadNumber(t, ref i, 2, 2, out var offsetMinutes) || offsetMinutes > 59)
            return 0;
        return i;
    }

    /// <summary>Four digits from 1970 to 2100 and a space; <paramref name="i"/> moves past them only if they are there.</summary>
    private static bool TryReadYear(ReadOnlySpan<byte> t, ref int i)
    {
        var j = i;
        if (!TryReadNumber(t, ref j, 4, 4, out var year) || year is < 1970 or > 2100 || !Expect(t, ref j, (byte)' ')) return false;
        i = j;
        return true;
    }

    private static bool TryReadMonth(ReadOnlySpan<byte> t, ref int i)
    {
        if (t.Length - i < 3) return false;
        foreach (var m in Months)
        {
            if (AsciiLower(t[i]) == AsciiLower((byte)m[0]) && AsciiLower(t[i + 1]) == m[1] && AsciiLower(t[i + 2]) == m[2])
            {
                i += 3;
                return true;
            }
        }
        return false;
    }

    /// <summary>Between <paramref name="min"/> and <paramref name="max"/> ASCII digits (and no more) at <paramref name="i"/>.</summary>
    private static bool TryReadNumber(ReadOnlySpan<byte> t, ref int i, int min, int max, out int value)
    {
        value = 0;
        var start = i;
        while (i < t.Length && IsDigit(t[i]))
        {
            if (i - start == max) return false;
            value = value * 10 + (t[i] - '0');
            i++;
        }
        return i - start >= min;
    }

    private static bool Expect(ReadOnlySpan<byte> t, ref int i, byte expected)
    {
        if (i >= t.Length || t[i] != expected) return false;
        i++;
        return true;
    }

    private static byte AsciiLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

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
            after = after[(close + 1)..];
            if (after.IsEmpty || after[0] != (byte)':') return false;
            procId = Encoding.ASCII.GetString(rest[(end + 1)..(end + close)]);
        }
        after = after[1..];
        if (!after.IsEmpty && after[0] == (byte)' ') after = after[1..];
        tag = Encoding.ASCII.GetString(tagBytes);
        rest = after;
        return true;
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (b is < 33 or > 126) return false;
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
