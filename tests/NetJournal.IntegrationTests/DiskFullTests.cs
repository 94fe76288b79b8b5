using System.Text;
using System.Text.RegularExpressions;
using NetJournal.Cli;
using NetJournal.Client;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.IntegrationTests;

/// <summary>
/// The journal on a 2 MiB tmpfs that runs out of space. Needs root to mount; without it the test is reported as
/// skipped, unless NETJOURNAL_REQUIRE_PRIVILEGED_TESTS=1.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed partial class DiskFullTests(ITestOutputHelper output)
{
    private const int BallastBytes = 1024 * 1024;

    [Fact]
    public async Task A_full_disk_refuses_notes_plainly_keeps_only_whole_acknowledged_lines_and_stores_again_once_space_is_freed()
    {
        var mountPoint = TestServer.TempDirectory();
        var (code, _, error) = Command.Run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mountPoint]);
        if (code != 0)
        {
            Directory.Delete(mountPoint);
            Privileged.SkipOrFail(code == Command.NotFound
                ? "the `mount` command is not installed"
                : $"mounting a 2 MiB tmpfs failed (exit {code}: {error.Trim()}); it needs root (CAP_SYS_ADMIN)");
        }
        try
        {
            // Ballast taken before the server starts: deleting it later is how space comes back.
            var ballast = Path.Combine(mountPoint, "ballast.bin");
            var bytes = new byte[BallastBytes];
            Random.Shared.NextBytes(bytes);
            await File.WriteAllBytesAsync(ballast, bytes);
            var data = Path.Combine(mountPoint, "data");
            Directory.CreateDirectory(data);
            var journalPath = Path.Combine(data, JournalStore.FileName);

            await using var server = TestServer.Start(data);
            var acknowledged = new List<(string Text, ulong Seq)>();
            var refused = new List<NoteOutcome>();

            // 1. Fill it: 1,500 notes of about 1 KB are more than the ~1 MiB left.
            await using (var client = server.Client("填满磁盘"))
            {
                var summary = await client.WriteAsync(Lines.Of(Enumerable.Range(1, 1500).Select(Filler)), o =>
                {
                    if (o.IsStored) acknowledged.Add((o.Text, o.Seq));
                    else refused.Add(o);
                }).WaitAsync(TimeSpan.FromSeconds(120));
                output.WriteLine($"filling: sent {summary.Sent}, stored {summary.Stored}, refused {summary.Refused}, unanswered {summary.Unanswered}");
                Assert.Equal(0, summary.Unanswered);
            }
            Assert.NotEmpty(acknowledged);
            Assert.NotEmpty(refused);
            // Refused for the disk, said plainly, never unanswered.
            Assert.All(refused, o => Assert.Equal((NoteStatus.Rejected, ErrorCode.StorageFailed), (o.Status, o.Error)));
            Assert.All(refused, o => Assert.Contains("disk full", o.Describe()));
            output.WriteLine($"the client was told: \"{refused[0].Describe()}\"");
            output.WriteLine($"journal size when full: {new FileInfo(journalPath).Length:N0} bytes");
            AssertJournalHolds(journalPath, acknowledged);

            // A failed batch can leave room for smaller ones: top up one note per commit until even one is refused,
            // so less than one note's line is left.
            await using (var client = server.Client("填满磁盘"))
            {
                for (var i = 1; i <= 2000; i++)
                {
                    var o = await client.WriteAsync(Filler(10_000 + i)).WaitAsync(TimeSpan.FromSeconds(30));
                    if (o.IsStored)
                    {
                        acknowledged.Add((o.Text, o.Seq));
                        continue;
                    }
                    Assert.Equal((NoteStatus.Rejected, ErrorCode.StorageFailed), (o.Status, o.Error));
                    output.WriteLine($"topped up with {i - 1} single notes; journal {new FileInfo(journalPath).Length:N0} bytes");
                    break;
                }
            }
            AssertJournalHolds(journalPath, acknowledged);

            // 2. The CLI, while the disk is still full, exits 1 and says how many notes were not stored.
            var cliNotes = Enumerable.Range(1, 40).Select(i => $"命令行 第{i}条 {new string('满', 600)}").ToList();
            var (cliCode, cliError) = await Cli(string.Join('\n', cliNotes) + "\n", "write", "--server", server.Address, "--name", "命令行");
            output.WriteLine($"netjournal write while full: exit {cliCode}, last line: {cliError.TrimEnd().Split('\n')[^1]}");
            Assert.Equal(1, cliCode);
            var failedLines = LineNotStored().Matches(cliError).Select(m => int.Parse(m.Groups[1].Value)).ToHashSet();
            Assert.NotEmpty(failedLines);
            Assert.Contains($"{failedLines.Count} of 40 notes {(failedLines.Count == 1 ? "was" : "were")} not stored", cliError);
            // Each of these notes is larger than the one that was just refused, so none fits.
            Assert.Contains("40 of 40 notes were not stored", cliError);
            // Whatever the CLI did get stored is in the journal too (usually nothing: the disk is full).
            var journal = ReadJournal(journalPath);
            var cliStored = cliNotes.Where((_, i) => !failedLines.Contains(i + 1)).ToList();
            Assert.Equal(cliStored, journal.Where(r => r.Client == "命令行").Select(r => r.Text));
            acknowledged.AddRange(journal.Where(r => r.Client == "命令行").Select(r => (r.Text, r.Seq)));
            AssertJournalHolds(journalPath, acknowledged);

            // 3. Free the ballast: the same server stores again, without a restart.
            File.Delete(ballast);
            var after = Enumerable.Range(1, 200).Select(i => $"腾出空间之后 第{i}条 ✅").ToList();
            await using (var client = server.Client("空间恢复"))
            {
                var outcomes = new List<NoteOutcome>();
                var summary = await client.WriteAsync(Lines.Of(after), outcomes.Add).WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Equal((200L, 0L, 0L), (summary.Stored, summary.Refused, summary.Unanswered));
                acknowledged.AddRange(outcomes.Select(o => (o.Text, o.Seq)));
            }
            output.WriteLine($"after freeing {BallastBytes:N0} bytes: 200 of 200 notes stored; journal {new FileInfo(journalPath).Length:N0} bytes, {acknowledged.Count} notes");
            AssertJournalHolds(journalPath, acknowledged);
            Assert.Equal(acknowledged.Count, server.Server.Store.NoteCount);
        }
        finally
        {
            var (unmount, _, unmountError) = Command.Run(["umount", mountPoint]);
            if (unmount != 0)
            {
                output.WriteLine($"umount failed ({unmountError.Trim()}); detaching lazily");
                Command.Run(["umount", "-l", mountPoint]);
            }
            try { Directory.Delete(mountPoint, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_note_refused_for_a_full_disk_is_refused_again_when_its_datagram_comes_back_after_space_is_freed()
    {
        var mountPoint = TestServer.TempDirectory();
        var (code, _, error) = Command.Run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mountPoint]);
        if (code != 0)
        {
            Directory.Delete(mountPoint);
            Privileged.SkipOrFail($"mounting a 1 MiB tmpfs failed (exit {code}: {error.Trim()}); it needs root (CAP_SYS_ADMIN)");
        }
        try
        {
            var ballast = Path.Combine(mountPoint, "ballast.bin");
            await File.WriteAllBytesAsync(ballast, new byte[512 * 1024]);
            var data = Path.Combine(mountPoint, "data");
            Directory.CreateDirectory(data);
            await using var server = TestServer.Start(data);
            using var raw = new RawUdp(server.EndPoint);
            // Datagrams of 10 notes of 1 KB, numbered in order, until one is refused for the disk.
            byte[]? refused = null;
            for (ulong first = 1; first < 2000 && refused is null; first += 10)
            {
                var datagram = MessageCodec.Encode(AppendRequest.FromTexts(0xD15C, first, "重发", Enumerable.Range(0, 10).Select(i => Filler((int)first + i))));
                raw.Send(datagram);
                var ack = Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync());
                if (ack.Results[0].Status == NoteStatus.Rejected)
                {
                    Assert.All(ack.Results, r => Assert.Equal(ErrorCode.StorageFailed, r.Error));
                    refused = datagram;
                }
            }
            Assert.NotNull(refused);
            var stored = server.Server.Store.NoteCount;

            File.Delete(ballast);
            // The same datagram again, as a retransmission that crossed the refusal: refused again, not stored.
            raw.Send(refused);
            var again = Assert.IsType<AppendAck>(await raw.ReceiveMessageAsync());
            Assert.All(again.Results, r => Assert.Equal((NoteStatus.Rejected, ErrorCode.StorageFailed), (r.Status, r.Error)));
            Assert.Equal(stored, server.Server.Store.NoteCount);
        }
        finally
        {
            if (Command.Run(["umount", mountPoint]).Code != 0) Command.Run(["umount", "-l", mountPoint]);
            try { Directory.Delete(mountPoint, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The file is whole lines, each parsing, seq 1..N, and exactly the acknowledged notes with their seqs, in order.</summary>
    private static void AssertJournalHolds(string path, List<(string Text, ulong Seq)> acknowledged)
    {
        var bytes = ReadShared(path);
        Assert.True(bytes.Length == 0 || bytes[^1] == (byte)'\n', "the journal ends in the middle of a line");
        var records = ReadJournal(path);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (ulong)i), records.Select(r => r.Seq));
        Assert.Equal(acknowledged.Select(a => a.Text), records.Select(r => r.Text));
        Assert.Equal(acknowledged.Select(a => a.Seq), records.Select(r => r.Seq));
    }

    private static List<JournalRecord> ReadJournal(string path)
    {
        var bytes = ReadShared(path);
        var records = new List<JournalRecord>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != '\n') continue;
            records.Add(JournalLine.TryParse(bytes.AsSpan(start, i - start))
                ?? throw new Xunit.Sdk.XunitException($"line {records.Count + 1} at byte {start} does not parse: {Encoding.UTF8.GetString(bytes, start, i - start)}"));
            start = i + 1;
        }
        if (start != bytes.Length) throw new Xunit.Sdk.XunitException($"half a line at the end: {bytes.Length - start} bytes after the last newline");
        return records;
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static async Task<(int Code, string Error)> Cli(string input, params string[] args)
    {
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = new StringWriter(), Error = error, In = new StringReader(input),
            Zone = TimeZoneInfo.Utc,
            Environment = _ => null,
        };
        var code = await CliApp.RunAsync(args, context).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, error.ToString());
    }

    private static string Filler(int i) => $"填满 第{i}条 " + new string('x', 1000);

    [GeneratedRegex(@"^line (\d+): the server could not write the note to disk", RegexOptions.Multiline)]
    private static partial Regex LineNotStored();
}
