using Microsoft.Extensions.Logging;

namespace NetJournal.Web;

/// <summary>The web view's log lines, with fixed event ids (after the server's).</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "web view on {Address}")]
    public static partial void Started(ILogger logger, string address);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "the web view listens on {Address}, which is not loopback, and without keys anyone who reaches it can read and write the journal; keep it to a trusted network")]
    public static partial void OpenToNetwork(ILogger logger, string address);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "the web view takes keys: each request needs the token of a client in the clients file (netjournal token prints it) and has that client's rights")]
    public static partial void KeysOn(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "the web view listens on {Address}, which is not loopback, over plain HTTP: tokens and notes cross the network in clear, unlike sealed datagrams; put it behind TLS (a reverse proxy)")]
    public static partial void KeyedInClear(ILogger logger, string address);
}
