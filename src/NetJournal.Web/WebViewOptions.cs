using System.Net;

namespace NetJournal.Web;

/// <summary>Where and how the web view serves (<c>netjournal serve --http</c>).</summary>
public sealed record WebViewOptions
{
    /// <summary>The TCP address and port to listen on; port 0 takes any free one (<see cref="WebView.Address"/> says which).</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>Who may read and write (<see cref="OpenWebAccess"/> without keys).</summary>
    public IWebAccess Access { get; init; } = OpenWebAccess.Instance;

    /// <summary>Silence after which the event stream sends a comment line, so proxies and browsers keep it open. 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Live notes one event stream may fall behind by before it is closed (the browser then resumes from history).</summary>
    public int SubscriptionCapacity { get; init; } = 10_000;

    /// <summary>What --http takes, for a refusal: "--http takes …, not 'x'".</summary>
    public const string EndPointForms = "takes a port (8080, on loopback) or ADDRESS:PORT (0.0.0.0:8080, [::]:8080)";

    /// <summary>
    /// "8080" (loopback, 127.0.0.1), "0.0.0.0:8080", "[::]:8080", "[::1]:8080", "localhost:8080" or "*:8080" (every
    /// address): the value of --http, with a port 0 to 65535. False for anything else (<see cref="EndPointForms"/>).
    /// </summary>
    public static bool TryParseEndPoint(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        text = text.Trim();
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            if (port > 65535) return false;
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) text = "127.0.0.1" + text[colon..];
        if (text.StartsWith("*:", StringComparison.Ordinal)) text = "[::]" + text[1..];
        // An IPv6 address needs its brackets, so that its last group is never read as the port.
        return (text.Contains(']') || text.Count(c => c == ':') == 1) && IPEndPoint.TryParse(text, out endPoint);
    }
}
