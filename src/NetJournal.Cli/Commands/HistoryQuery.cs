using NetJournal.Protocol;

namespace NetJournal.Cli.Commands;

/// <summary>What to fetch (LastN 0 = all matching) and how to print it.</summary>
public sealed record HistoryQuery(HistoryFilter Filter, ulong LastN, OutputFormat Format, bool ShowAddress);
