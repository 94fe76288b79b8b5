using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace NetJournal.Testing;

/// <summary>
/// A private PostgreSQL server for tests and benchmarks: <c>initdb</c> into a temporary folder, <c>pg_ctl</c> on a free
/// TCP port of 127.0.0.1 with its socket in that folder, trust login for the user <c>netjournal</c>, stopped and deleted
/// on dispose. Never a system server. PostgreSQL refuses to run as root: as root, its programs run as the user
/// <c>postgres</c> (made by the Debian package) through <c>runuser</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "netjournal";

    private readonly string _bin;
    private readonly string _folder;
    private readonly string? _runAs;
    private readonly bool _fsync;
    private int _databases;

    private PostgresServer(string bin, string folder, string? runAs, int port, bool fsync)
    {
        _bin = bin;
        _folder = folder;
        _runAs = runAs;
        Port = port;
        _fsync = fsync;
    }

    public int Port { get; private set; }

    /// <summary>The server's log file (pg_ctl -l).</summary>
    public string LogPath => Path.Combine(_folder, "postgres.log");

    /// <summary>The folder of PostgreSQL's programs (initdb, pg_ctl, postgres), or null when none is installed.</summary>
    public static string? FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        foreach (var dir in versions.Select(d => Path.Combine(d, "bin")).Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        return null;
    }

    /// <summary>
    /// Makes and starts a server. <paramref name="fsync"/> false lets PostgreSQL skip its flushes (commits still wait for
    /// the commit itself): quick tests; benchmarks keep them.
    /// </summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed (the message says so), or would not start (its log inside).</exception>
    public static async Task<PostgresServer> StartAsync(bool fsync = false)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH)");
        var folder = Path.Combine(Path.GetTempPath(), "netjournal-pg", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        string? runAs = null;
        if (Environment.UserName == "root")
        {
            runAs = "postgres";
            await RunAsync("chown", ["postgres", folder]).ConfigureAwait(false);
        }
        var server = new PostgresServer(bin, folder, runAs, FreePort(), fsync);
        try
        {
            await server.Program("initdb", "-D", server.DataFolder, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C").ConfigureAwait(false);
            await server.StartAgainAsync().ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on its port and waits until it takes connections.</summary>
    public Task StartAgainAsync() => Program("pg_ctl", "-D", DataFolder, "-l", LogPath, "-w", "-t", "60", "start", "-o",
        $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync={(_fsync ? "on" : "off")} -c synchronous_commit=on");

    /// <summary>Stops the server: <c>fast</c> ends every session (clients see their connection closed), <c>immediate</c> is a crash.</summary>
    public Task StopAsync(string mode = "fast") => Program("pg_ctl", "-D", DataFolder, "-m", mode, "-w", "stop");

    /// <summary>A connection string to <paramref name="database"/> as <see cref="User"/>.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=false";

    /// <summary>The URL form netjournal takes: postgresql://netjournal@127.0.0.1:PORT/DB.</summary>
    public string Url(string database) => $"postgresql://{User}@127.0.0.1:{Port}/{database}";

    /// <summary>Creates a new, empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"journal{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return name;
    }

    /// <summary>Runs one SQL statement in <paramref name="database"/> and returns the first column of its first row.</summary>
    public async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync().ConfigureAwait(false);
    }

    /// <summary>Runs a query in <paramref name="database"/> and returns every row's columns.</summary>
    public async Task<List<object[]>> RowsAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var rows = new List<object[]>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    private async Task Program(string name, params string[] args)
    {
        var path = Path.Combine(_bin, name);
        var (code, output) = _runAs is null ? await RunAsync(path, args).ConfigureAwait(false) : await RunAsync("runuser", ["-u", _runAs, "--", path, .. args]).ConfigureAwait(false);
        if (code != 0)
        {
            var log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath).ConfigureAwait(false) : "";
            throw new InvalidOperationException($"{name} failed ({code}): {output}\n{log}");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish within 90 s");
        }
        return (process.ExitCode, (await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false)));
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid"))) await StopAsync("immediate").ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
