namespace NetJournal.Protocol;

public enum DecodeStatus
{
    Ok,

    /// <summary>No NetJournal magic: plain text or syslog, not ours to decode.</summary>
    NotNative,
    UnsupportedVersion,
    UnsupportedFlags,
    UnknownType,
    Malformed,
}
