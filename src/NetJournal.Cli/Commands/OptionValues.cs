using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NetJournal.Cli.Commands;

/// <summary>
/// Custom parsers for option values. System.CommandLine's own conversion errors name .NET types
/// (<c>System.Nullable`1[System.UInt64]</c>); these say what the option takes, in the project's words, as a parse
/// error, so the command line is refused with exit code 2 before anything runs.
/// </summary>
public static class OptionValues
{
    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="what"/> ends "--x takes …".</summary>
    public static Func<ArgumentResult, int> Integer(int min, int max, string what) => r =>
        int.TryParse(Token(r), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : Fail<int>(r, what);

    /// <summary>A count of notes, 0 or more.</summary>
    public static ulong? NoteCount(ArgumentResult r) =>
        ulong.TryParse(Token(r), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : Fail<ulong?>(r, "takes a number of notes, 0 or more");

    /// <summary>A seq, 0 or more (0: before the first note).</summary>
    public static ulong? Seq(ArgumentResult r) =>
        ulong.TryParse(Token(r).TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : Fail<ulong?>(r, "takes a seq, a note's number (0 or more, as json output's \"seq\" or text's #N)");

    /// <summary>Seconds, 0 or more, finite (a decimal point, not a comma).</summary>
    public static double Seconds(ArgumentResult r) =>
        double.TryParse(Token(r), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s)
            ? s
            : Fail<double>(r, "takes a number of seconds, such as 10 or 2.5");

    /// <summary>One of <paramref name="accepted"/>, named in lowercase, any case accepted.</summary>
    public static Func<ArgumentResult, OutputFormat> Format(IReadOnlyList<OutputFormat> accepted) => r =>
    {
        var token = Token(r);
        foreach (var format in accepted)
            if (string.Equals(token, OutputFormats.Name(format), StringComparison.OrdinalIgnoreCase)) return format;
        return Fail<OutputFormat>(r, $"takes {OutputFormats.List(accepted)}");
    };

    /// <summary>The last token given to the option ("" when none).</summary>
    public static string Token(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";

    /// <summary>
    /// Adds "--option <paramref name="takes"/>, not 'token'" as a parse error and returns a placeholder the
    /// command never sees (a parse with errors is not run).
    /// </summary>
    public static T Fail<T>(ArgumentResult r, string takes)
    {
        r.AddError($"{OptionName(r)} {takes}, not '{Token(r)}'");
        return default!;
    }

    private static string OptionName(ArgumentResult r) => r.Parent is OptionResult o ? o.Option.Name : r.Argument.Name;
}
