using Npgsql;

namespace NetJournal.Storage.PostgreSql;

/// <summary>
/// Where a journal in PostgreSQL lives: <c>postgresql://USER@HOST:PORT/DB</c> (also <c>postgres://</c>; several
/// <c>HOST:PORT</c> separated by commas, and <c>?key=value</c> parameters in Npgsql's names such as
/// <c>target_session_attrs=primary</c>), or an Npgsql connection string (<c>Host=…;Username=…;Database=…</c>).
/// The password comes from a password file given to <see cref="Parse"/>, or from the connection string, or from
/// <c>PGPASSWORD</c> / <c>PGPASSFILE</c>, which Npgsql reads itself; it is never shown (<see cref="Display"/>).
/// </summary>
public sealed class PostgresLocation
{
    private PostgresLocation(NpgsqlConnectionStringBuilder builder) => Builder = builder;

    /// <summary>The connection string, with the password if one was given.</summary>
    public NpgsqlConnectionStringBuilder Builder { get; }

    /// <summary>Whether <paramref name="text"/> names a PostgreSQL journal rather than a folder.</summary>
    public static bool Looks(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || text.Contains("host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>The location without its password, for logs and messages: <c>postgresql://user@host:port/db</c>.</summary>
    public string Display => $"postgresql://{Builder.Username}@{Builder.Host}{(Builder.Host?.Contains(':') == true ? "" : $":{Builder.Port}")}/{Builder.Database}";

    /// <summary>Reads a URL or connection string; the first line of <paramref name="passwordFile"/>, when given, is the password.</summary>
    /// <exception cref="FormatException">The text is neither, or the password file cannot be read.</exception>
    public static PostgresLocation Parse(string text, string? passwordFile = null)
    {
        var builder = text.Contains("://", StringComparison.Ordinal) ? FromUrl(text) : FromConnectionString(text);
        if (passwordFile is not null)
        {
            try
            {
                builder.Password = File.ReadLines(passwordFile).FirstOrDefault()?.TrimEnd('\r') ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"cannot read the password file {passwordFile}: {e.Message}");
            }
        }
        if (string.IsNullOrEmpty(builder.Host)) throw new FormatException($"'{Redact(text)}' names no host");
        if (string.IsNullOrEmpty(builder.Database)) throw new FormatException($"'{Redact(text)}' names no database");
        // Acknowledged means committed and flushed: never a server setting that loosens it.
        builder.Options = string.IsNullOrEmpty(builder.Options) ? "-c synchronous_commit=on" : builder.Options + " -c synchronous_commit=on";
        return new PostgresLocation(builder);
    }

    private static NpgsqlConnectionStringBuilder FromConnectionString(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"'{Redact(text)}' is not a postgresql:// URL or an Npgsql connection string: {e.Message}");
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (text[..scheme].ToLowerInvariant() is not ("postgresql" or "postgres"))
            throw new FormatException($"'{Redact(text)}' is not a postgresql:// URL");
        var rest = text[(scheme + 3)..];
        var query = "";
        if (rest.IndexOf('?') is var q and >= 0) (rest, query) = (rest[..q], rest[(q + 1)..]);
        var database = "";
        if (rest.IndexOf('/') is var slash and >= 0) (rest, database) = (rest[..slash], Uri.UnescapeDataString(rest[(slash + 1)..]));
        var builder = new NpgsqlConnectionStringBuilder();
        if (rest.LastIndexOf('@') is var at and >= 0)
        {
            var user = rest[..at];
            rest = rest[(at + 1)..];
            if (user.IndexOf(':') is var colon and >= 0)
            {
                builder.Password = Uri.UnescapeDataString(user[(colon + 1)..]);
                user = user[..colon];
            }
            builder.Username = Uri.UnescapeDataString(user);
        }
        // HOST:PORT,HOST:PORT is Npgsql's own multi-host form.
        builder.Host = rest;
        builder.Database = database;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new FormatException($"'{Redact(text)}': the parameter '{pair}' is not KEY=VALUE");
            try
            {
                var key = Uri.UnescapeDataString(pair[..eq]);
                builder[LibpqNames.GetValueOrDefault(key, key)] = Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"'{Redact(text)}': {e.Message}");
            }
        }
        return builder;
    }

    // libpq's names in a URL's parameters, as Npgsql spells them; other keys are taken as Npgsql's own.
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["target_session_attrs"] = "Target Session Attributes",
        ["sslmode"] = "SSL Mode",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["passfile"] = "Passfile",
    };

    /// <summary>The text with a password in a URL's user part replaced by ***.</summary>
    private static string Redact(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var at = text.LastIndexOf('@');
        if (scheme < 0 || at < 0) return text.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(the connection string)" : text;
        var colon = text.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? text[..(colon + 1)] + "***" + text[at..] : text;
    }
}
