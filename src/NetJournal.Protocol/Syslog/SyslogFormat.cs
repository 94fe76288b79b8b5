namespace NetJournal.Protocol.Syslog;

/// <summary>Which syslog header a datagram carried.</summary>
public enum SyslogFormat
{
    /// <summary>RFC 5424: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG</c>.</summary>
    Rfc5424,

    /// <summary>
    /// RFC 3164 (BSD): <c>&lt;PRI&gt;Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG</c>, with the timestamp variants rsyslog accepts
    /// (an RFC 3339 timestamp, a year, milliseconds, a Cisco sequence number), or with no timestamp and no HOSTNAME at all.
    /// </summary>
    Rfc3164,
}
