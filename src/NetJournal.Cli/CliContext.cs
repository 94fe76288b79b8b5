using NodaTime;
using NodaTime.TimeZones;

namespace NetJournal.Cli;

/// <summary>Where the CLI reads and writes: the real console, or strings in tests. Data goes to Out, status and errors to Error.</summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required TextReader In { get; init; }
    public bool InputIsTerminal { get; init; }
    public bool OutputIsTerminal { get; init; }

    /// <summary>
    /// Standard output is a terminal, whether or not NO_COLOR is set (<see cref="OutputIsTerminal"/> says colours are
    /// welcome too): with <see cref="InputIsTerminal"/>, the interactive session edits lines.
    /// </summary>
    public bool OutputIsConsole { get; init; }
    /// <summary>The zone times are printed in and <c>--since</c>/<c>--until</c> are read in.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Local;

    /// <summary>What "now" is for <c>--since -1h</c>, <c>today</c> and the like.</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary><see cref="Zone"/> with the IANA database's rules (the .NET zone's own rules when it is not in the database).</summary>
    public DateTimeZone TimeZone => _timeZone ??= ToDateTimeZone(Zone);

    private DateTimeZone? _timeZone;
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public static CliContext FromConsole()
    {
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        Console.InputEncoding = System.Text.Encoding.UTF8;
        return new CliContext
        {
            // Redirected output (a file, a pipe) is written through one large buffer, not flushed line by line: printing
            // a long history was mostly write calls. CliApp.Run flushes it at the end.
            Out = Console.IsOutputRedirected ? new Output.Utf8OutputWriter(Console.OpenStandardOutput()) : Console.Out,
            Error = Console.Error,
            // A pipe or file is read through one large buffer, not the console's line-at-a-time reader.
            In = Console.IsInputRedirected ? new StreamReader(Console.OpenStandardInput(), new System.Text.UTF8Encoding(false), false, 1 << 16) : Console.In,
            InputIsTerminal = !Console.IsInputRedirected,
            OutputIsTerminal = !Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("NO_COLOR") is null,
            OutputIsConsole = !Console.IsOutputRedirected,
        };
    }

    private static DateTimeZone ToDateTimeZone(TimeZoneInfo zone)
    {
        if (zone.Equals(TimeZoneInfo.Local))
        {
            try
            {
                return DateTimeZoneProviders.Tzdb.GetSystemDefault();
            }
            catch (DateTimeZoneNotFoundException)
            {
                return BclDateTimeZone.ForSystemDefault();
            }
        }
        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone.Id) ?? BclDateTimeZone.FromTimeZoneInfo(zone);
    }
}
