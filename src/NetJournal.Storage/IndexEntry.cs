namespace NetJournal.Storage;

/// <summary>What the server keeps in memory per note: enough to filter by client, address and time without reading the file.</summary>
public readonly record struct IndexEntry(ulong Seq, long Offset, int Length, long TimeMs, int ClientId, int AddressId);
