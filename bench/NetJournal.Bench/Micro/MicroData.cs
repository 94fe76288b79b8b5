using System.Text;
using NetJournal.Protocol;
using NetJournal.Storage;

namespace NetJournal.Bench.Micro;

/// <summary>The messages and lines the micro benchmarks encode and decode: 100-byte notes, ASCII and Chinese mixed.</summary>
internal static class MicroData
{
    public const ulong Instance = 0x5EED_1234_ABCD_0001;

    public static string Text(int i)
    {
        var prefix = i % 2 == 0 ? $"deployed build {2400 + i} to staging; 部署完成 " : $"ticket OPS-{3300 + i} closed, cache warm ";
        var sb = new StringBuilder(prefix);
        while (Encoding.UTF8.GetByteCount(sb.ToString()) < 100) sb.Append((char)('a' + sb.Length % 26));
        return sb.ToString();
    }

    public static AppendRequest AppendRequest(int notes) =>
        NetJournal.Protocol.AppendRequest.FromTexts(Instance, 1001, "alice@laptop-01", Enumerable.Range(0, notes).Select(Text));

    public static AppendAck AppendAck(int notes) =>
        new(Instance, 1001, Enumerable.Range(0, notes).Select(i => NoteResult.Stored(500_000 + (ulong)i)).ToArray());

    public static HistoryPage HistoryPage(int notes) =>
        new(7, 500_000 + (ulong)notes, false, Enumerable.Range(0, notes).Select(i => Record(i).ToNote()).ToArray());

    /// <summary>A 16-byte address-validation token, as a RetryChallenge hands out.</summary>
    public static byte[] Token() => [.. Enumerable.Range(0, 16).Select(i => (byte)(i * 17))];

    /// <summary>A filter as `netjournal history --client alice@laptop-01 --since ... --grep deploy` sends it.</summary>
    public static HistoryFilter Filter() => new("alice@laptop-01", null, 1_740_816_000_000, null, "deploy");

    public static HistoryRequest HistoryRequest() => new(7, Token(), 500_000, 0, ProtocolConstants.DefaultMaxReply, Filter());

    public static CountRequest CountRequest() => new(7, Token(), 100, Filter());

    public static CountReply CountReply() => new(7, 1234, 499_000, 500_010, 1_000_000);

    public static ClientsRequest ClientsRequest() => new(7, Token(), 0, ProtocolConstants.DefaultMaxReply);

    public static ClientsPage ClientsPage(int clients) =>
        new(7, (ulong)clients, false, Enumerable.Range(0, clients).Select(i =>
        {
            var r = Record(i);
            return new ClientSummary(r.Client, r.Address, 1000 + (ulong)i, r.TimeMs - 86_400_000, r.TimeMs);
        }).ToArray());

    public static ErrorReply ErrorReply() => new(7, ErrorCode.RateLimited, ErrorText.Describe(ErrorCode.RateLimited));

    public static RetryChallenge RetryChallenge() => new(7, Token());

    public static JournalRecord Record(int i) =>
        new(500_000 + (ulong)i, 1_740_816_000_000 + i * 1234L, i % 3 == 0 ? "张伟@ops-13" : "alice@laptop-01",
            i % 3 == 0 ? "10.9.4.50:51234" : "[fd00:10:6::b]:40001", Text(i), NoteOrigin.Native, null, Instance, 1001 + (ulong)i);
}
