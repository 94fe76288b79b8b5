using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NetJournal.Web;

/// <summary>
/// The page (HTML, CSS, script), embedded in the assembly and served as they are: no build step, nothing from another
/// site. A Content-Security-Policy allows scripts and styles from this origin only, so even a note that slipped into the
/// page as markup could not run a script.
/// </summary>
internal static class PageAssets
{
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "page/index.html", "text/html; charset=utf-8"),
        ("/app.js", "page/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "page/app.css", "text/css; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            routes.MapGet(path, (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            });
        }
        // Browsers ask for it on their own; an empty answer keeps a 404 out of their console.
        routes.MapGet("/favicon.ico", () => Results.NoContent());
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the page resource {resource} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
