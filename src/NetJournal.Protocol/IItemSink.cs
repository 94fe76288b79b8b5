namespace NetJournal.Protocol;

/// <summary>
/// Receives the items of a list view (results, notes, clients) as its TryRead validates them, so that
/// <see cref="MessageCodec.TryDecode"/> builds its message in that one pass instead of enumerating the view afterwards.
/// The views' public TryRead passes <see cref="DiscardItems{TItem}"/>, which the JIT compiles away.
/// </summary>
internal interface IItemSink<TItem>
    where TItem : allows ref struct
{
    /// <summary>Called once, with the item count, before the first item, once the count is known to be plausible.</summary>
    void Start(int count);

    /// <summary>The next item. If the datagram turns out malformed later, the items received so far are to be thrown away.</summary>
    void Add(TItem item);
}
