namespace NetJournal.Tests.Cli;

/// <summary>Keys as .NET's console reports them on Unix: a character with no ConsoleKey, Ctrl-letter as its C0 character with Control.</summary>
internal static class Keys
{
    public static ConsoleKeyInfo Char(char c) => new(c, 0, false, false, false);

    public static IEnumerable<ConsoleKeyInfo> Text(string text) => text.Select(Char);

    public static ConsoleKeyInfo Ctrl(char letter) =>
        new((char)(char.ToUpperInvariant(letter) - 'A' + 1), ConsoleKey.A + (char.ToUpperInvariant(letter) - 'A'), false, false, true);

    public static ConsoleKeyInfo Press(ConsoleKey key) => key switch
    {
        ConsoleKey.Enter => new('\r', key, false, false, false),
        ConsoleKey.Backspace => new('\x7f', key, false, false, false),
        ConsoleKey.Escape => new('\x1b', key, false, false, false),
        ConsoleKey.Tab => new('\t', key, false, false, false),
        _ => new('\0', key, false, false, false),
    };

    public static ConsoleKeyInfo Alt(char c) => new(c, 0, false, true, false);
}
