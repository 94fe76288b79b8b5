using Microsoft.AspNetCore.Http;

namespace NetJournal.Web;

/// <summary>The web view without keys: every request may read everything and write under any name. For a trusted network.</summary>
public sealed class OpenWebAccess : IWebAccess
{
    public static readonly OpenWebAccess Instance = new();

    public WebRights? Authorize(HttpContext context, out string? refusal)
    {
        refusal = null;
        return WebRights.Everything;
    }
}
