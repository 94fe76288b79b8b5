namespace NetJournal.Protocol.Sealing;

/// <summary>
/// How long a session's keys may serve (protocol.md §8), after WireGuard's REKEY_AFTER/REJECT_AFTER pairs: the client
/// opens a new session after <see cref="RekeyAfterDatagrams"/> or <see cref="RekeyAfter"/>, and the server refuses a
/// session past <see cref="RejectAfterDatagrams"/> or <see cref="RejectAfter"/>, or one that drew
/// <see cref="MaxFailedOpens"/> datagrams that failed authentication (far below ChaCha20-Poly1305's forgery bound of
/// 2^36 attempts, RFC 9001 §6.6).
/// </summary>
public static class SessionLimits
{
    public const ulong RekeyAfterDatagrams = 1UL << 32;
    public const ulong RejectAfterDatagrams = 1UL << 33;
    public static readonly TimeSpan RekeyAfter = TimeSpan.FromHours(1);
    public static readonly TimeSpan RejectAfter = TimeSpan.FromHours(2);

    /// <summary>A session that has heard nothing authentic for this long is forgotten by the server.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    public const int MaxFailedOpens = 1 << 20;
}
