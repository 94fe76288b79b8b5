using NetJournal.Protocol;

namespace NetJournal.Server;

/// <summary>
/// A history, count or clients request on its way to the query thread, with the bytes it arrived in.
/// A null Request is the classroom protocol's bare <c>r</c>: the history as plain-text lines, which has no NetJournal message.
/// </summary>
internal sealed record QueryWork(JournalMessage? Request, ClientAddress From, int RequestBytes)
{
    public static QueryWork PlainHistory(ClientAddress from, int requestBytes) => new(null, from, requestBytes);

    public bool IsPlainHistory => Request is null;
}
