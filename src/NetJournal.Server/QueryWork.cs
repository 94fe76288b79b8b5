using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>A history, count or clients request on its way to the query thread, with the bytes it arrived in.</summary>
internal sealed record QueryWork(JournalMessage Request, ClientAddress From, int RequestBytes);
