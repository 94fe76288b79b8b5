using System.Net;
using System.Net.Sockets;

namespace NetJournal.Cli;

/// <summary>Parses HOST:PORT, [IPv6]:PORT or a bare host (port 9527), resolving names.</summary>
public static class ServerAddress
{
    public const string Default = "127.0.0.1:9527";

    /// <summary>One server, or several that share one journal separated by commas (HOST:PORT,HOST:PORT).</summary>
    /// <exception cref="FormatException">A part is empty, or does not parse or resolve.</exception>
    public static IReadOnlyList<IPEndPoint> ParseList(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0)) throw new FormatException($"'{text}' holds an empty server address");
        return [.. parts.Select(Parse)];
    }

    public static IPEndPoint Parse(string text)
    {
        text = text.Trim();
        string host;
        var port = 9527;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) throw new FormatException($"'{text}' is not HOST:PORT");
            host = text[1..close];
            if (close + 1 < text.Length) port = ParsePort(text[(close + 1)..].TrimStart(':'), text);
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':');
            host = text[..colon];
            port = ParsePort(text[(colon + 1)..], text);
        }
        else
        {
            host = text;
        }
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new FormatException($"the host '{host}' has no address");
            return new IPEndPoint(chosen, port);
        }
        catch (SocketException e)
        {
            throw new FormatException($"cannot resolve '{host}': {e.Message}");
        }
    }

    private static int ParsePort(string text, string whole) =>
        int.TryParse(text, out var port) && port is > 0 and < 65536 ? port : throw new FormatException($"'{whole}' has no valid port (1-65535)");
}
