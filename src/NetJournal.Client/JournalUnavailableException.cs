namespace NetJournal.Client;

/// <summary>The server did not answer within the time allowed, despite retries.</summary>
public sealed class JournalUnavailableException(string message) : Exception(message);
