namespace NetJournal.Bench.Infra;

/// <summary>Where the repository, the built CLI and the results folder are (overridable by environment variables).</summary>
internal static class RepoPaths
{
    /// <summary>Temp folders not deleted yet: removed if this process is ended early.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> TempDirectories = new();

    public static void DeleteLeftovers()
    {
        foreach (var dir in TempDirectories.Keys) DeleteQuietly(dir);
    }

    public static string Root { get; } = FindRoot();

    /// <summary>The Release build of the CLI, run as `dotnet netjournal.dll serve ...`; NETJOURNAL_CLI overrides it.</summary>
    public static string CliDll =>
        Environment.GetEnvironmentVariable("NETJOURNAL_CLI") is { Length: > 0 } cli
            ? Path.GetFullPath(cli)
            : Path.Combine(Root, "src", "NetJournal.Cli", "bin", "Release", "net10.0", "netjournal.dll");

    /// <summary>
    /// How to start <see cref="CliDll"/>: <c>dotnet netjournal.dll</c>, or the published native executable itself
    /// (`dotnet publish -r RID` compiles with Native AOT: a file without the .dll extension).
    /// </summary>
    public static string[] CliCommand => CommandFor(CliDll);

    /// <summary>The command line that starts <paramref name="cli"/>: a .dll under `dotnet`, anything else as itself.</summary>
    public static string[] CommandFor(string cli) =>
        cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", cli] : [cli];

    /// <summary><see cref="CliDll"/>, checked to exist.</summary>
    /// <exception cref="FileNotFoundException">It is not built; the message says how to build it.</exception>
    public static string BuiltCliDll => File.Exists(CliDll)
        ? CliDll
        : throw new FileNotFoundException($"the CLI is not built: {CliDll} (run `dotnet build src/NetJournal.Cli -c Release`, or set NETJOURNAL_CLI)", CliDll);

    /// <summary>bench/results, or NETJOURNAL_BENCH_RESULTS.</summary>
    public static string Results
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("NETJOURNAL_BENCH_RESULTS") is { Length: > 0 } r
                ? Path.GetFullPath(r)
                : Path.Combine(Root, "bench", "results");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>A fresh folder under the system temp folder; the caller deletes it.</summary>
    public static string NewTempDirectory(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), "netjournal-bench", $"{purpose}-{Guid.NewGuid():n}");
        Directory.CreateDirectory(dir);
        TempDirectories[dir] = true;
        return dir;
    }

    public static void DeleteQuietly(string directory)
    {
        TempDirectories.TryRemove(directory, out _);
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"warning: could not delete {directory}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"warning: could not delete {directory}: {e.Message}");
        }
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "NetJournal.slnx"))) return dir.FullName;
        }
        return Environment.CurrentDirectory;
    }
}
