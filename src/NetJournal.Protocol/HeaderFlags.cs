namespace NetJournal.Protocol;

/// <summary>The header's flags byte (offset 5). Version 1 accepts one flag, <see cref="AcceptsHeld"/>, on an AppendRequest only.</summary>
[Flags]
public enum HeaderFlags : byte
{
    None = 0,

    /// <summary>Reserved for a later version: the body is sealed with a per-client key (AEAD). Version 1 refuses it.</summary>
    Sealed = 0x01,

    /// <summary>
    /// On an AppendRequest only: the client understands <see cref="NoteStatus.Held"/>, so the server may keep a datagram
    /// that arrived before an earlier number and store it later, instead of answering Deferred. A server that does not
    /// know the flag answers ErrorReply UnknownMessage, and the client can send again without it.
    /// </summary>
    AcceptsHeld = 0x02,
}
