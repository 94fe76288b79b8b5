using System.Text;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.IntegrationTests;

public sealed class TornTailTests
{
    private const int Notes = 50;

    public static TheoryData<string> Tails => ["半行", "垃圾", "零字节"];

    [Theory]
    [MemberData(nameof(Tails))]
    public async Task A_server_process_started_on_a_journal_with_a_torn_tail_cuts_it_says_so_and_serves_every_earlier_note(string kind)
    {
        var data = await WriteJournalAsync();
        var path = Path.Combine(data, JournalStore.FileName);
        var whole = await File.ReadAllBytesAsync(path);
        var lastLine = whole[(Array.LastIndexOf(whole, (byte)'\n', whole.Length - 2) + 1)..^1];
        byte[] tail = kind switch
        {
            "半行" => lastLine[..(lastLine.Length / 2)],
            "垃圾" => Encoding.UTF8.GetBytes("垃圾 garbage }{ 不是JSON\n"),
            _ => new byte[4096],
        };
        await File.WriteAllBytesAsync(path, [.. whole, .. tail]);

        await using (var server = await ServerProcess.StartAsync(data))
        {
            Assert.Contains("torn tail", server.Log);
            Assert.Contains($"cut {tail.Length} bytes", server.Log);
            await using var reader = server.Client("读者");
            var notes = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
            Assert.Equal(Expected(), notes.Select(n => n.Text));
            // The cut is back to the last whole line: the file is exactly what it was before the tail.
            Assert.Equal(whole, await ReadSharedAsync(path));
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task A_whole_last_line_appended_without_its_newline_is_kept_the_newline_added_and_the_next_note_follows_it()
    {
        var data = await WriteJournalAsync();
        var path = Path.Combine(data, JournalStore.FileName);
        var whole = await File.ReadAllBytesAsync(path);
        var handWritten = Encoding.UTF8.GetBytes(
            $"{{\"seq\":{Notes + 1},\"time\":\"2026-11-30T03:06:34.000Z\",\"client\":\"手工\",\"address\":\"-\",\"text\":\"手工加的一行\"}}");
        await File.WriteAllBytesAsync(path, [.. whole, .. handWritten]);

        await using (var server = await ServerProcess.StartAsync(data))
        {
            Assert.Contains("no newline", server.Log);
            Assert.DoesNotContain("torn tail", server.Log);
            await using (var writer = server.Client("补写"))
                Assert.True((await writer.WriteAsync("之后的新笔记")).IsStored);
            await using var reader = server.Client("读者");
            var notes = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
            Assert.Equal([.. Expected(), "手工加的一行", "之后的新笔记"], notes.Select(n => n.Text));
            Assert.Equal((ulong)Notes + 2, notes[^1].Seq);
            var now = await ReadSharedAsync(path);
            Assert.Equal([.. whole, .. handWritten, (byte)'\n'], now[..(whole.Length + handWritten.Length + 1)]);
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task A_corrupted_middle_line_is_reported_with_its_line_number_and_left_as_it_is_while_the_rest_is_served()
    {
        var data = await WriteJournalAsync();
        var path = Path.Combine(data, JournalStore.FileName);
        var bytes = await File.ReadAllBytesAsync(path);
        // Overwrite line 20 with garbage of the same length, keeping its newline (a bad disk block, not a crash).
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length - 1; i++)
            if (bytes[i] == '\n') starts.Add(i + 1);
        var (from, to) = (starts[19], starts[20] - 1);
        bytes.AsSpan(from, to - from).Fill((byte)'#');
        await File.WriteAllBytesAsync(path, bytes);

        await using (var server = await ServerProcess.StartAsync(data))
        {
            Assert.Contains($"line 20 at byte offset {from}", server.Log);
            Assert.DoesNotContain("torn tail", server.Log);
            await using (var writer = server.Client("补写"))
                Assert.True((await writer.WriteAsync("损坏之后写的新笔记")).IsStored);
            await using var reader = server.Client("读者");
            var notes = await reader.HistoryAsync(HistoryFilter.None).ToListAsync();
            Assert.Equal([.. Expected().Where(t => t != Text(20)), "损坏之后写的新笔记"], notes.Select(n => n.Text));
            // The file keeps every byte it had, bad line included; the server only appended after it.
            var now = await ReadSharedAsync(path);
            Assert.Equal(bytes, now[..bytes.Length]);
            Assert.Equal("损坏之后写的新笔记", JournalLine.TryParse(now.AsSpan(bytes.Length, now.Length - bytes.Length - 1))!.Text);
        }
        Directory.Delete(data, recursive: true);
    }

    private static async Task<string> WriteJournalAsync()
    {
        var data = TestServer.TempDirectory();
        await using var server = TestServer.Start(data);
        await using var client = server.Client("尾巴");
        var summary = await client.WriteAsync(Lines.Of(Expected()));
        Assert.Equal(Notes, summary.Stored);
        return data;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static IEnumerable<string> Expected() => Enumerable.Range(1, Notes).Select(Text);

    private static string Text(int i) => $"第{i}条 完整的笔记 {i}";
}
