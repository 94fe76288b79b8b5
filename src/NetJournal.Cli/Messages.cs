using System.Globalization;

namespace NetJournal.Cli;

/// <summary>Every sentence the CLI says to a person, in one place.</summary>
public static class Messages
{
    public static string Notes(long n) => n == 1 ? "1 note" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} notes");

    public static string EarlierNotes(ulong hidden, int shown) =>
        string.Create(CultureInfo.InvariantCulture, $"… {Notes((long)hidden)} before the latest {shown:N0} {(hidden == 1 ? "is" : "are")} not shown; `netjournal history --all` prints everything, `--last N` the latest N.");

    public static string Welcome(string server, string name, bool terminal) => terminal
        ? $"NetJournal at {server}, writing as {name}. Type a note and press Enter; /help lists commands, Ctrl-D leaves."
        : $"NetJournal at {server}, writing as {name}.";

    public const string Help = """
        Type a line and press Enter to store it as a note. Commands:
          /history [--client NAME] [--address IP] [--since DATE] [--until DATE] [--grep TEXT] [--last N] [--all]
                       show past notes (the latest 1,000 unless --all or --last N)
          /clients     list who wrote, from where, how many notes, first and last time
          /retry       send again the notes the server did not confirm
          /help        this help
          /quit        leave (Ctrl-D too)
        """;

    public static string FollowNotAnswering(string server, ulong seq) =>
        string.Create(CultureInfo.InvariantCulture, $"netjournal: the server at {server} is not answering; still following, and will resume after #{seq}");
    public static string FollowResumed(ulong seq) => string.Create(CultureInfo.InvariantCulture, $"netjournal: the server answers again; following resumes after #{seq}");
    public static string FollowRestarted(ulong seq) => string.Create(CultureInfo.InvariantCulture, $"netjournal: the server restarted; following resumes after #{seq}");

    public const string NoMatch = "no notes match these filters";

    public static string Stored(ulong seq) => seq > 0 ? $"stored #{seq}" : "stored";
    public static string NotStored(string reason) => $"not stored: {reason}";
    public static string KeptForRetry(int n) => $"{Notes(n)} waiting; /retry sends again, and they are printed when you leave";
    public static string Unsent(int n) => $"{Notes(n)} {(n == 1 ? "was" : "were")} not stored; here they are so nothing is lost:";
    public static string Refused(int n) => $"{Notes(n)} {(n == 1 ? "was" : "were")} refused by the server; here they are so nothing is lost:";
    public static string UnknownCommand(string command) => $"unknown command {command}; /help lists them";
    public static string UnknownOption(string token) =>
        $"unknown option '{token}'; to write a note that starts with '-', put -- before it: netjournal write -- {token} ...";
    public static string SeeHelp(string command) => $"see '{command} --help'";
    public static string WriteDone(long stored) => $"stored {Notes(stored)}";
    public static string WriteFailed(long notStored, long total) =>
        string.Create(CultureInfo.InvariantCulture, $"{notStored:N0} of {Notes(total)} {(notStored == 1 ? "was" : "were")} not stored");
    public static string LineRepaired(long line) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}: not valid UTF-8; stored with U+FFFD in place of the bad bytes");
    public static string LineNotStored(long line, string reason) => string.Create(CultureInfo.InvariantCulture, $"line {line}: {reason}");
}
