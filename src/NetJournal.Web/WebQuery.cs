using System.Globalization;
using Microsoft.AspNetCore.Http;
using NetJournal.Protocol;

namespace NetJournal.Web;

/// <summary>
/// The query string of /api/notes and /api/events: the filters of history (client, address, since, until, grep) and
/// last, after (a cursor: strictly after that seq) and limit (notes per page). Parse refuses a bad value with one
/// sentence in the project's words.
/// </summary>
public sealed record WebQuery(HistoryFilter Filter, ulong? Last, ulong? After, int Limit)
{
    /// <summary>Notes per page when limit is not given.</summary>
    public const int DefaultLimit = 500;

    /// <summary>The most notes one page may ask for.</summary>
    public const int MaxLimit = 5000;

    /// <summary>The query of <paramref name="query"/>, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static WebQuery? Parse(IQueryCollection query, out string? error)
    {
        error = null;
        var client = Text(query, "client");
        if (client is not null && NoteRules.CheckName(client) != ErrorCode.None)
        {
            error = $"client: {ErrorText.Describe(ErrorCode.BadName)}";
            return null;
        }
        long? since = null, until = null;
        if (Text(query, "since") is { } sinceText)
        {
            if (!WebTime.TryParse(sinceText, endOfDay: false, out var ms)) return Refuse("since", sinceText, WebTime.Forms, out error);
            since = ms;
        }
        if (Text(query, "until") is { } untilText)
        {
            if (!WebTime.TryParse(untilText, endOfDay: true, out var ms)) return Refuse("until", untilText, WebTime.Forms, out error);
            until = ms;
        }
        ulong? last = null, after = null;
        if (Text(query, "last") is { } lastText)
        {
            if (!ulong.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return Refuse("last", lastText, "a number of notes, 0 or more", out error);
            last = n;
        }
        if (Text(query, "after") is { } afterText)
        {
            if (!TryParseSeq(afterText, out var seq)) return Refuse("after", afterText, "a seq (a cursor from an earlier answer), 0 or more", out error);
            after = seq;
        }
        var limit = DefaultLimit;
        if (Text(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            return Refuse("limit", limitText, $"notes per page, 1 to {MaxLimit}", out error);
        string? address = null;
        if (Text(query, "address") is { } addressText)
        {
            address = AddressFilterText.Normalize(addressText);
            if (address is null) return Refuse("address", addressText, AddressFilterText.Takes, out error);
        }
        var filter = new HistoryFilter(client, address, since, until, Text(query, "grep"));
        return new WebQuery(filter, last, after, limit);
    }

    /// <summary>A seq as the API writes it: decimal digits.</summary>
    public static bool TryParseSeq(string? text, out ulong seq)
    {
        seq = 0;
        return text is not null && ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
    }

    /// <summary>A parameter's value; null when absent or empty (an empty field of the page's form means "any").</summary>
    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[^1]) ? values[^1] : null;

    private static WebQuery? Refuse(string name, string value, string takes, out string error)
    {
        error = $"{name}: '{value}' is not valid; give {takes}";
        return null;
    }
}
