namespace NetJournal.IntegrationTests;

/// <summary>The xunit side of <see cref="PostgresFixture"/>: one private PostgreSQL per test class, and the skip when it is missing.</summary>
public sealed class PostgresClassFixture : PostgresFixture, IAsyncLifetime
{
    /// <summary>The server, or the end of the test: skipped, or failed when NETJOURNAL_REQUIRE_PRIVILEGED_TESTS=1.</summary>
    public PostgresServer Require()
    {
        if (Unavailable is { } why) Privileged.SkipOrFail(why);
        return Server;
    }
}
