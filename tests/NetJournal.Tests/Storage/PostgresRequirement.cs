using NetJournal.Testing;

namespace NetJournal.Tests.Storage;

/// <summary>The xunit side of <see cref="PostgresFixture"/>: the fixture of a class, and the skip when PostgreSQL is missing.</summary>
public sealed class PostgresClassFixture : PostgresFixture, IAsyncLifetime
{
    /// <summary>The server, or the end of the test: skipped, or failed when NETJOURNAL_REQUIRE_PRIVILEGED_TESTS=1.</summary>
    public PostgresServer Require()
    {
        if (Unavailable is { } why)
        {
            if (Environment.GetEnvironmentVariable("NETJOURNAL_REQUIRE_PRIVILEGED_TESTS") == "1")
                throw new Xunit.Sdk.XunitException($"{why} (NETJOURNAL_REQUIRE_PRIVILEGED_TESTS=1 says this test must run)");
            Assert.Skip(why);
        }
        return Server;
    }
}
