using System.Globalization;

namespace NetJournal.Server;

/// <summary>Where <c>serve --forward</c> sends a copy of every stored note: <c>syslog://HOST:PORT</c>, RFC 5424 over UDP.</summary>
public sealed record ForwardTarget(string Host, int Port)
{
    public const int DefaultSyslogPort = 514;

    /// <summary><c>syslog://HOST[:PORT]</c>; HOST is a name, an IPv4 address or a bracketed IPv6 address; the port defaults to 514.</summary>
    public static ForwardTarget Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "syslog" || uri.Host.Length == 0
            || uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            throw new FormatException($"'{text}' is not a forward target of the form syslog://HOST:PORT");
        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultSyslogPort : uri.Port;
        if (port is < 1 or > 65535) throw new FormatException($"'{text}' has no usable port");
        return new ForwardTarget(uri.IdnHost, port);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"syslog://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");
}
