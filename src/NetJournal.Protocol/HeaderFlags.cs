namespace NetJournal.Protocol;

[Flags]
public enum HeaderFlags : byte
{
    None = 0,

    /// <summary>Reserved for a later version: the body is sealed with a per-client key (AEAD). Version 1 refuses it.</summary>
    Sealed = 0x01,
}
