using Microsoft.AspNetCore.Http;
using NetJournal.Protocol.Sealing;
using NetJournal.Server.Keys;

namespace NetJournal.Web;

/// <summary>
/// The web view with keys on: a request carries a client's token (<see cref="WebToken"/>, printed by
/// <c>netjournal token</c>) as <c>Authorization: Bearer TOKEN</c> (RFC 6750 §2.1), or, on the event stream only,
/// as <c>?token=</c> (an EventSource cannot set headers; RFC 6750 §2.3). The token is checked against the clients file
/// as it reads now (<paramref name="findClient"/> is asked on every request), so a reload applies at once: a client
/// taken out, or given a new key, is refused its old token from its next request. Its MAC is compared in constant time.
/// The request then has that client's rights (<see cref="WebRights.Of"/>). The token is never logged.
/// </summary>
/// <param name="findClient">The client of a name in the clients file as it now reads, or null (ClientsFile.FindByName).</param>
public sealed class KeyedWebAccess(Func<string, KeyedClient?> findClient) : IWebAccess
{
    /// <summary>The query parameter the event stream takes a token in.</summary>
    public const string QueryParameter = "token";

    private const string Missing = "this journal takes keys: give the token that `netjournal token` prints for your key (Authorization: Bearer TOKEN)";
    private const string Refused = "the token is not one of this server's clients (a mistyped token, or a key taken out of or changed in the clients file): run `netjournal token` again";

    public WebRights? Authorize(HttpContext context, out string? refusal)
    {
        var token = TokenOf(context.Request);
        if (token is null)
        {
            refusal = Missing;
            return null;
        }
        if (WebToken.TrySplit(token, out var name, out var mac) && findClient(name) is { } client && WebToken.Matches(client.Name, mac, client.Key))
        {
            refusal = null;
            return WebRights.Of(client);
        }
        refusal = Refused;
        return null;
    }

    /// <summary>
    /// The token of a request: the Bearer credential, else (on the event stream only) ?token=; null when neither.
    /// Spaces and line breaks around it are dropped: a token pasted from a terminal often brings its newline along.
    /// </summary>
    private static string? TokenOf(HttpRequest request)
    {
        foreach (var value in request.Headers.Authorization)
        {
            // RFC 6750 §2.1: "Bearer" (any case), one space or more, the token.
            if (value is { Length: > 7 } && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return value[7..].Trim();
        }
        if (request.Path.Equals(EventStream.Path, StringComparison.Ordinal) && request.Query[QueryParameter] is { Count: > 0 } query && query[^1]?.Trim() is { Length: > 0 } given)
            return given;
        return null;
    }
}
