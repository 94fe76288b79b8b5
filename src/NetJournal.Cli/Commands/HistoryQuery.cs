using NetJournal.Protocol;

namespace NetJournal.Cli.Commands;

/// <summary>What to fetch and how to print it: the latest <see cref="Last"/> matching notes (null: every one; 0: none).</summary>
public sealed record HistoryQuery(HistoryFilter Filter, ulong? Last, OutputFormat Format, bool ShowAddress);
