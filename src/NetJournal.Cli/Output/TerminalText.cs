namespace NetJournal.Cli.Output;

/// <summary>
/// Makes stored text safe to print on a terminal: control characters (which could move the cursor, set the
/// title, clear the screen or fake a new line) and bidirectional overrides (which could disguise text) are
/// shown as visible escapes instead. The journal keeps the exact text; only the text output is escaped.
/// </summary>
public static class TerminalText
{
    public static string Sanitize(string text) => NetJournal.Protocol.TextEscaping.Escape(text);
}
