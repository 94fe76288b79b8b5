namespace NetJournal.Storage;

/// <summary>A batch could not be made durable (disk full, I/O error). Nothing of it remains in the file.</summary>
public sealed class JournalWriteException(string message, Exception inner) : IOException(message, inner);
