using Microsoft.AspNetCore.Http;

namespace NetJournal.Web;

/// <summary>
/// Decides, for each request to the web view, who is asking and what they may see and write: the one place where
/// authentication plugs in. <see cref="OpenWebAccess"/> (no keys: a trusted network) lets everyone read everything and
/// write under any name. An implementation must be thread-safe and must not block (it runs on every request).
/// </summary>
public interface IWebAccess
{
    /// <summary>The rights of the request's sender, or null when it is refused (answered 401 with <see cref="RefusalText"/>).</summary>
    WebRights? Authorize(HttpContext context);

    /// <summary>What a refused request is told, in one sentence (for example, how to give a token).</summary>
    string RefusalText { get; }
}
