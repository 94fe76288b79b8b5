using System.Globalization;
using System.Text;
using System.Text.Json;
using NetJournal.Client;

namespace NetJournal.Cli.Commands;

/// <summary>
/// `write --stats`: what a write cost, on standard error after the notes: rate, retransmissions and how long the
/// notes waited for their acknowledgement. As text for people, or as one JSON object for scripts, with the latency
/// buckets so that the figures of several writers can be added up.
/// </summary>
public static class WriteStats
{
    public static string Text(WriteSummary s)
    {
        var seconds = s.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? s.Stored / seconds : 0;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Messages.Notes(s.Sent)} sent in {seconds:F2} s: {s.Stored:N0} stored ({rate:N0}/s), {s.NotStored:N0} not stored, {s.Retransmissions:N0} retransmissions");
        if (s.AckLatency.Count == 0) return text;
        var l = s.AckLatency;
        return text + string.Create(CultureInfo.InvariantCulture,
            $"; acknowledged after: median {Ms(l.Percentile(0.5))}, p90 {Ms(l.Percentile(0.9))}, p99 {Ms(l.Percentile(0.99))}, p99.9 {Ms(l.Percentile(0.999))}, max {Ms(l.Max)}");
    }

    public static string Json(WriteSummary s)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("sent", s.Sent);
            json.WriteNumber("stored", s.Stored);
            json.WriteNumber("refused", s.Refused);
            json.WriteNumber("unanswered", s.Unanswered);
            json.WriteNumber("retransmissions", s.Retransmissions);
            json.WriteNumber("seconds", Math.Round(s.Elapsed.TotalSeconds, 6));
            json.WriteStartObject("ackLatencyMs");
            json.WriteNumber("count", s.AckLatency.Count);
            json.WriteNumber("p50", s.AckLatency.Percentile(0.5).TotalMilliseconds);
            json.WriteNumber("p90", s.AckLatency.Percentile(0.9).TotalMilliseconds);
            json.WriteNumber("p99", s.AckLatency.Percentile(0.99).TotalMilliseconds);
            json.WriteNumber("p999", s.AckLatency.Percentile(0.999).TotalMilliseconds);
            json.WriteNumber("max", s.AckLatency.Max.TotalMilliseconds);
            // [lowest µs of the bucket, notes in it]: enough to add several writers' histograms together.
            json.WriteStartArray("buckets");
            foreach (var (lowest, count) in s.AckLatency.Buckets())
            {
                json.WriteStartArray();
                json.WriteNumberValue(lowest);
                json.WriteNumberValue(count);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds < 10
        ? t.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";
}
