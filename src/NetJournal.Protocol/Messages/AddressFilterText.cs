using System.Net;

namespace NetJournal.Protocol;

/// <summary>
/// The address filter of history (<c>history --address</c>, <c>?address=</c> on the web API): an IP or IP:PORT
/// ([IPv6]:PORT), written as the server writes addresses: an IPv4-mapped IPv6 address (::ffff:127.0.0.1) as the IPv4
/// address it stands for, which is how the server stores an IPv4 sender. Only the full dotted form of IPv4 is taken:
/// .NET also reads "10" or "10.1" as addresses, which nobody means. A port is 1 to 65535.
/// </summary>
public static class AddressFilterText
{
    /// <summary>What the filter takes, as refusals say it.</summary>
    public const string Takes = "an IP address or IP:PORT";

    /// <summary>The filter as the server writes addresses (<c>127.0.0.1</c>, <c>[::1]:4000</c>), or null when <paramref name="text"/> is not one.</summary>
    public static string? Normalize(string text)
    {
        text = text.Trim();
        var host = text;
        int? port = null;
        var bracket = text.StartsWith('[') ? text.IndexOf(']') : -1;
        if (bracket > 0)
        {
            host = text[1..bracket];
            var rest = text[(bracket + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':') || !ushort.TryParse(rest[1..], out var p) || p == 0) return null;
                port = p;
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':');
            host = text[..colon];
            if (!ushort.TryParse(text[(colon + 1)..], out var p) || p == 0) return null;
            port = p;
        }
        var fullForm = host.Contains(':') || host.Split('.') is { Length: 4 } parts && parts.All(part => part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit));
        if (!fullForm || !IPAddress.TryParse(host, out var ip)) return null;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return port is { } known ? new IPEndPoint(ip, known).ToString() : ip.ToString();
    }
}
