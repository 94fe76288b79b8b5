namespace NetJournal.Protocol;

/// <summary>The sink of a plain TryRead: validation only.</summary>
internal struct DiscardItems<TItem> : IItemSink<TItem>
    where TItem : allows ref struct
{
    public readonly void Start(int count) { }

    public readonly void Add(TItem item) { }
}
