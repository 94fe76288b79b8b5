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

    public static JournalRecord Record(int i) =>
        new(500_000 + (ulong)i, 1_740_816_000_000 + i * 1234L, i % 3 == 0 ? "张伟@ops-13" : "alice@laptop-01",
            i % 3 == 0 ? "10.9.4.50:51234" : "[fd00:10:6::b]:40001", Text(i), NoteOrigin.Native, null, Instance, 1001 + (ulong)i);
}
