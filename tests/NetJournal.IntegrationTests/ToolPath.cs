namespace NetJournal.IntegrationTests;

/// <summary>Finds the system tools (nc, python3, ...) that interop tests drive; a test without its tool is skipped.</summary>
internal static class ToolPath
{
    /// <summary>The full path of <paramref name="name"/> in a folder of $PATH, or null when it is not installed.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
}
