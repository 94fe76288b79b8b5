namespace NetJournal.Protocol.Syslog;

/// <summary>The keywords people know facilities and severities by (as <c>logger -p local3.err</c> takes them).</summary>
public static class SyslogNames
{
    // 12-15 have no name in RFC 5424; these are rsyslog's.
    private static readonly string[] Facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
        "ntp", "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    private static readonly string[] Severities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    public static string Facility(int facility) => facility >= 0 && facility < Facilities.Length ? Facilities[facility] : facility.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Severity(int severity) => severity >= 0 && severity < Severities.Length ? Severities[severity] : severity.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>facility.severity</c>, such as <c>local3.err</c>.</summary>
    public static string Priority(byte priority) => $"{Facility(priority >> 3)}.{Severity(priority & 7)}";
}
