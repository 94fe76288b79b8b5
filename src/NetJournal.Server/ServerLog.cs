using Microsoft.Extensions.Logging;

namespace NetJournal.Server;

internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "NetJournal listening on UDP {EndPoint}, journal {Path} ({Notes} notes, opened in {Millis} ms)")]
    public static partial void Started(ILogger logger, string endPoint, string path, int notes, long millis);

    [LoggerMessage(2, LogLevel.Information, "NetJournal stopped: {Counters}")]
    public static partial void Stopped(ILogger logger, string counters);

    [LoggerMessage(3, LogLevel.Warning, "Journal {Path}: cut {Bytes} bytes of a torn tail at offset {Offset} (a write interrupted by a crash); every whole note before it is kept")]
    public static partial void TornTail(ILogger logger, string path, long bytes, long offset);

    [LoggerMessage(11, LogLevel.Information, "Journal {Path}: its last line had no newline (written by hand or by another tool); the note is kept and the newline added")]
    public static partial void NewlineAdded(ILogger logger, string path);

    [LoggerMessage(4, LogLevel.Error, "Journal {Path}: line {Line} at byte offset {Offset} ({Length} bytes) is not a valid note; it is skipped and left as it is")]
    public static partial void CorruptLine(ILogger logger, string path, long line, long offset, int length);

    [LoggerMessage(5, LogLevel.Error, "Could not store {Count} notes; they were not acknowledged and the clients were told: {Reason}")]
    public static partial void WriteFailed(ILogger logger, int count, string reason);

    [LoggerMessage(6, LogLevel.Information, "Storing works again after {Failures} failed writes")]
    public static partial void WriteRecovered(ILogger logger, long failures);

    [LoggerMessage(7, LogLevel.Warning, "Dropped a malformed datagram of {Bytes} bytes from {Source} ({Status})")]
    public static partial void Malformed(ILogger logger, int bytes, string source, string status);

    [LoggerMessage(8, LogLevel.Critical, "The {Loop} loop failed; the server stops")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(10, LogLevel.Error, "A datagram could not be handled; it is dropped and the server goes on")]
    public static partial void HandlingFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Error, "A {Kind} request from {Source} failed")]
    public static partial void QueryFailed(ILogger logger, Exception exception, string kind, string source);

    [LoggerMessage(20, LogLevel.Warning, "Rate limit: dropped {Dropped} datagrams from sources over {PerSecond}/s (burst {Burst}) since the last report, the latest from {Source}; at most one such line a minute")]
    public static partial void RateLimited(ILogger logger, long dropped, int perSecond, int burst, string source);

    [LoggerMessage(30, LogLevel.Information, "Forwarding a copy of every stored note to {Target} ({Address}) as RFC 5424 over UDP")]
    public static partial void ForwardStarted(ILogger logger, string target, string address);

    [LoggerMessage(31, LogLevel.Warning, "Forwarding to {Target} failed ({Failures} failures so far); the note is stored but this copy is lost: {Reason}")]
    public static partial void ForwardFailed(ILogger logger, string target, long failures, string reason);

    [LoggerMessage(32, LogLevel.Information, "Forwarding stopped: {Forwarder}")]
    public static partial void ForwardStopped(ILogger logger, string forwarder);

    [LoggerMessage(60, LogLevel.Information, "Keys on: {Clients} clients from {Path}; only sealed datagrams are taken{Plain}")]
    public static partial void KeysOn(ILogger logger, int clients, string path, string plain);

    [LoggerMessage(61, LogLevel.Information, "Clients file {Path} read again ({Why}): {Clients} clients")]
    public static partial void ClientsReloaded(ILogger logger, string path, int clients, string why);

    [LoggerMessage(62, LogLevel.Error, "Clients file {Path} could not be read again; the clients of its last good read stay: {Reason}")]
    public static partial void ClientsReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(63, LogLevel.Warning, "Listening on {Address} without keys: anyone who reaches this port can read every note and write under any name (serve --clients FILE turns keys on)")]
    public static partial void OpenToNetwork(ILogger logger, string address);

    [LoggerMessage(64, LogLevel.Warning, "Dropped {Count} datagrams that failed authentication (a changed bit, an unknown key or session, a replay) since the last report, the latest from {Source}; at most one such line a minute")]
    public static partial void AuthenticationFailed(ILogger logger, long count, string source);
    [LoggerMessage(70, LogLevel.Warning, "The shared journal's feed of stored notes stopped and is retried: {Reason}")]
    public static partial void FeedTrouble(ILogger logger, string reason);

    [LoggerMessage(71, LogLevel.Information, "The shared journal's feed of stored notes works again")]
    public static partial void FeedRecovered(ILogger logger);
}
