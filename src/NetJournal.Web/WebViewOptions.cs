using System.Net;

namespace NetJournal.Web;

/// <summary>Where and how the web view serves (<c>netjournal serve --http</c>).</summary>
public sealed class WebViewOptions
{
    /// <summary>The TCP address and port to listen on; port 0 takes any free one (<see cref="WebView.Address"/> says which).</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>Who may read and write (<see cref="OpenWebAccess"/> without keys).</summary>
    public IWebAccess Access { get; init; } = OpenWebAccess.Instance;

    /// <summary>Silence after which the event stream sends a comment line, so proxies and browsers keep it open. 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Live notes one event stream may fall behind by before it is closed (the browser then resumes from history).</summary>
    public int SubscriptionCapacity { get; init; } = 10_000;

    /// <summary>
    /// "8080" (loopback, 127.0.0.1), "0.0.0.0:8080", "[::]:8080", "[::1]:8080" or "localhost:8080": the value of --http.
    /// </summary>
    /// <exception cref="FormatException">Not a port, or not ADDRESS:PORT with an IP address and a port 0 to 65535.</exception>
    public static IPEndPoint ParseEndPoint(string text)
    {
        text = text.Trim();
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            return port <= 65535 ? new IPEndPoint(IPAddress.Loopback, port)
                : throw new FormatException($"--http {text}: a port is 0 to 65535");
        }
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) text = "127.0.0.1" + text[colon..];
        if (text.StartsWith("*:", StringComparison.Ordinal)) text = "[::]" + text[1..];
        if (IPEndPoint.TryParse(text, out var endPoint) && (text.Contains(']') || text.Count(c => c == ':') == 1))
            return endPoint;
        throw new FormatException($"--http '{text}': give a port (8080, on loopback) or ADDRESS:PORT (0.0.0.0:8080, [::]:8080)");
    }
}
