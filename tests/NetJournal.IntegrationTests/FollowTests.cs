using NetJournal.Protocol;

namespace NetJournal.IntegrationTests;

/// <summary>
/// `netjournal follow` as a real process against a real server: notes written by other clients are printed as they are
/// stored, each once and in seq order; --last and --after say where to start; filters are the server's.
/// </summary>
public sealed class FollowTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task WriteAsync(TestServer server, string name, IEnumerable<string> notes)
    {
        await using var writer = server.Client(name);
        var summary = await writer.WriteAsync(Lines.Of(notes));
        Assert.Equal(notes.Count(), summary.Stored);
    }

    private static void AssertOnceInOrder(IReadOnlyList<(ulong Seq, string Text)> notes, IEnumerable<ulong> expected) =>
        Assert.Equal(expected, notes.Select(n => n.Seq));

    [Fact]
    public async Task Follow_prints_notes_written_by_another_client_each_once_in_seq_order_until_SIGTERM()
    {
        await using var server = TestServer.Start();
        await WriteAsync(server, "before", Enumerable.Range(1, 20).Select(i => $"before {i}"));
        await using var follow = FollowProcess.Start(server.EndPoint, "--after", "0");
        await follow.WaitForNotesAsync(20, Patience);

        // Written while it follows, by two writers at once.
        await Task.WhenAll(
            WriteAsync(server, "ana", Enumerable.Range(1, 30).Select(i => $"ana {i}")),
            WriteAsync(server, "张三", Enumerable.Range(1, 30).Select(i => $"张三 {i}")));
        await follow.WaitForNotesAsync(80, Patience);

        Assert.Equal(0, await follow.StopAsync(Patience));
        AssertOnceInOrder(follow.Notes, Enumerable.Range(1, 80).Select(i => (ulong)i));
        Assert.Equal(30, follow.Notes.Count(n => n.Text.StartsWith("张三 ", StringComparison.Ordinal)));
        // The live notes came pushed, not by asking again; and stopping said nothing.
        Assert.True(server.Server.Counters.Pushes > 0, "no push was sent");
        Assert.Equal(1, server.Server.Counters.Follows);
        Assert.Empty(follow.Errors);
        Assert.Empty(follow.OtherOutput);
    }

    [Fact]
    public async Task Last_starts_with_the_latest_matching_notes_and_after_strictly_after_a_seq_with_the_server_filtering()
    {
        await using var server = TestServer.Start();
        await WriteAsync(server, "ana", Enumerable.Range(1, 5).Select(i => $"ana {i}"));
        await WriteAsync(server, "bob", Enumerable.Range(1, 5).Select(i => $"bob {i}"));
        await using var last = FollowProcess.Start(server.EndPoint, "--last", "3", "--client", "ana");
        await using var after = FollowProcess.Start(server.EndPoint, "--after", "7");
        await last.WaitForNotesAsync(3, Patience);
        await after.WaitForNotesAsync(3, Patience);

        await WriteAsync(server, "ana", ["ana 6"]);
        await WriteAsync(server, "bob", ["bob 6"]);
        await last.WaitUntilAsync(f => f.Notes.Any(n => n.Text == "ana 6"), Patience, "ana 6");
        await after.WaitForNotesAsync(5, Patience);

        Assert.Equal(0, await last.StopAsync(Patience));
        Assert.Equal(0, await after.StopAsync(Patience));
        Assert.Equal(["ana 3", "ana 4", "ana 5", "ana 6"], last.Notes.Select(n => n.Text));
        AssertOnceInOrder(after.Notes, [8, 9, 10, 11, 12]);
        // bob 6 (seq 12) was never pushed to the follower of ana: the server filtered it.
        Assert.DoesNotContain(last.Notes, n => n.Text.StartsWith("bob", StringComparison.Ordinal));
    }
}
