using System.Text.Json;
using NetJournal.Client;

namespace NetJournal.Bench.Infra;

/// <summary>What one `netjournal write --stats-json` printed: its counts and its acknowledgement latency histogram.</summary>
internal sealed record WriterStats(long Sent, long Stored, long Retransmissions, LatencyHistogram AckLatency)
{
    public static WriterStats Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var latency = new LatencyHistogram();
        foreach (var bucket in root.GetProperty("ackLatencyMs").GetProperty("buckets").EnumerateArray())
            latency.Record(bucket[0].GetInt64(), bucket[1].GetInt64());
        return new WriterStats(root.GetProperty("sent").GetInt64(), root.GetProperty("stored").GetInt64(), root.GetProperty("retransmissions").GetInt64(), latency);
    }
}
