namespace NetJournal.Testing;

/// <summary>
/// One private PostgreSQL server for a test class (xunit's IClassFixture; its IAsyncLifetime members by name): started
/// once, stopped after the class. When PostgreSQL is not installed, <see cref="Unavailable"/> says so and the tests
/// skip (or fail, where NETJOURNAL_REQUIRE_PRIVILEGED_TESTS=1 says they must run).
/// </summary>
public class PostgresFixture : IAsyncDisposable
{
    private PostgresServer? _server;

    /// <summary>Why there is no server (PostgreSQL missing), or null when there is one.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The server; only when <see cref="Unavailable"/> is null.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException(Unavailable ?? "the server is not started");

    public async ValueTask InitializeAsync()
    {
        if (PostgresServer.FindBinaries() is null)
        {
            Unavailable = "PostgreSQL is not installed (apt-get install postgresql; .ci/run does)";
            return;
        }
        _server = await PostgresServer.StartAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
