using Microsoft.AspNetCore.Http;

namespace NetJournal.Web;

/// <summary>
/// Decides, for each request to the web view, who is asking and what they may see and write: the one place where
/// authentication plugs in. <see cref="OpenWebAccess"/> (no keys: a trusted network) lets everyone read everything and
/// write under any name; <see cref="KeyedWebAccess"/> (keys on) takes a client's token and gives that client's rights.
/// An implementation must be thread-safe and must not block (it runs on every request).
/// </summary>
public interface IWebAccess
{
    /// <summary>
    /// The rights of the request's sender, or null when it is refused: then <paramref name="refusal"/> is what it is
    /// told, one sentence in the journal's words (answered 401).
    /// </summary>
    WebRights? Authorize(HttpContext context, out string? refusal);
}
