namespace NetJournal.Protocol.Syslog;

/// <summary>
/// One syslog datagram, parsed. Nil header fields (<c>-</c> in RFC 5424, absent in RFC 3164) are null.
/// AppName holds the RFC 5424 APP-NAME or the RFC 3164 TAG; Timestamp is the sender's text for it, unchecked
/// against any clock. Message has its BOM and trailing NUL/CR/LF removed and is decoded by <see cref="ForeignText.Decode"/>.
/// </summary>
public sealed record SyslogMessage(
    SyslogFormat Format,
    byte Priority,
    string? Timestamp,
    string? Hostname,
    string? AppName,
    string? ProcId,
    string? MsgId,
    string? StructuredData,
    string Message)
{
    public int Facility => Priority >> 3;
    public int Severity => Priority & 7;
}
