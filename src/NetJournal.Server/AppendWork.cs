using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Server;

/// <summary>
/// One datagram's notes on their way to the commit thread. ReplyTo is null for sources that get no
/// acknowledgement (plain text, syslog).
/// </summary>
internal sealed record AppendWork(ClientAddress? ReplyTo, ulong Instance, ulong FirstNumber, PendingNote[] Notes, int RequestBytes);
