using System.Net;

namespace NetJournal.Protocol;

/// <summary>The filter's address rule (protocol §4.5), one place for every store and the followers: "IP" matches that IP on any port, "IP:port" exactly.</summary>
public static class AddressMatch
{
    /// <summary>
    /// Whether a note's <paramref name="stored"/> source (<c>IP:port</c> or <c>[IPv6]:port</c>) matches the filter's
    /// <paramref name="wanted"/> (<c>IP</c>, <c>[IPv6]</c>, or a source); case-insensitive, IPs compared parsed.
    /// </summary>
    public static bool Matches(string stored, string wanted)
    {
        if (string.Equals(stored, wanted, StringComparison.OrdinalIgnoreCase)) return true;
        var ip = HostPart(stored);
        if (string.Equals(ip, wanted.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(ip, out var a) && IPAddress.TryParse(wanted.Trim('[', ']'), out var b) && a.Equals(b);
    }

    private static string HostPart(string address)
    {
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            return close > 0 ? address[1..close] : address;
        }
        var colon = address.LastIndexOf(':');
        return colon > 0 && address.IndexOf(':') == colon ? address[..colon] : address;
    }
}
