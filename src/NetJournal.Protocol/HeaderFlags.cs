namespace NetJournal.Protocol;

/// <summary>The header's flags byte (offset 5): <see cref="AcceptsHeld"/> on an AppendRequest, and <see cref="Sealed"/> on every datagram of a keyed session.</summary>
[Flags]
public enum HeaderFlags : byte
{
    None = 0,

    /// <summary>
    /// The body is sealed with the session's key (ChaCha20-Poly1305, protocol.md §8; <see cref="Sealing.SealedDatagram"/>).
    /// Only a server with keys on (serve --clients) opens it; the header read of the opened datagram never sees the flag.
    /// </summary>
    Sealed = 0x01,

    /// <summary>
    /// On an AppendRequest only: the client understands <see cref="NoteStatus.Held"/>, so the server may keep a datagram
    /// that arrived before an earlier number and store it later, instead of answering Deferred. A server that does not
    /// know the flag answers ErrorReply UnknownMessage, and the client can send again without it.
    /// </summary>
    AcceptsHeld = 0x02,
}
