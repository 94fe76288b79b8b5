using System.Text;

namespace NetJournal.Bench.Data;

/// <summary>
/// Realistic note texts (ASCII, Chinese, and both mixed), client names and source addresses, from a seeded
/// generator so every run writes the same journal. About 1% of the texts carry <see cref="GrepMarker"/>.
/// </summary>
internal static class NoteCorpus
{
    /// <summary>What the grep benchmark asks for (in another case than stored: grep is case-insensitive).</summary>
    public const string GrepQuery = "oom-killer";
    public const string GrepMarker = "OOM-killer";
    public const double GrepShare = 0.01;

    private static readonly string[] Ascii =
    [
        "deployed build 2417 to staging", "api-gateway p99 back under 80 ms", "restarted worker pool on db-02",
        "cert for *.example.internal renewed", "ticket OPS-3381 closed", "cache hit ratio 97.2% after warmup",
        "nightly backup finished in 41 min", "disk /var at 83%, cleaning old logs", "rolled config v58 to eu-west",
        "kafka lag on orders topic: 12k msgs", "load test: 8k req/s, no errors", "paged on-call for a flapping probe",
        "merged PR #912 (retry budget)", "DNS TTL lowered to 60s before the move", "vacuum on events table done",
        "canary at 5%, watching error rate", "feature flag new-search ON for beta", "k8s node pool upgraded to 1.31",
        "latency spike 14:02-14:07, upstream timeout", "replica lag 3s on pg-ro-1", "user report: login loop on Safari",
        "rotated API keys for billing", "queue drained, 0 dead letters", "shipping 0.9.4 to prod tomorrow",
        "memory on search-3 climbing slowly", "firewall rule for 10.8.0.0/16 added", "standup notes in the wiki",
        "grafana dashboard for ingest updated", "ntp drift fixed on edge-07", "benchmark: 2.3 GB/s seq read",
    ];

    private static readonly string[] Chinese =
    [
        "部署完成", "数据库主从切换", "重启了支付服务", "磁盘空间不足", "已回滚到上一版本", "告警已恢复",
        "接口超时率上升", "用户反馈登录失败", "明天继续排查", "缓存命中率下降", "证书已更新", "发布窗口推迟到晚上",
        "日志量暴增", "网络抖动约三分钟", "备份校验通过", "扩容两台机器", "配置已同步到北京机房", "压测结果正常",
        "修复了时区问题", "内存泄漏已定位", "值班交接完毕", "上海机房延迟偏高", "数据迁移进度百分之六十", "监控面板已调整",
    ];

    private static readonly string[] People =
    [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar",
        "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴婷", "徐鹏", "孙丽", "马超",
    ];

    private static readonly string[] Hosts =
    [
        "web-01", "web-02", "web-03", "api-01", "api-02", "db-01", "db-02", "pg-ro-1", "cache-01", "cache-02",
        "mq-01", "edge-07", "edge-08", "search-3", "ingest-1", "batch-02", "router-bj-1", "router-sh-1",
        "nas-01", "build-agent-4", "ci-runner-2", "vpn-gw", "mail-01", "ldap-01", "backup-01",
    ];

    /// <summary>50 client names: 25 people writing with the netjournal client (their notes carry instance/num), 25 plain-text and syslog senders.</summary>
    public static IReadOnlyList<string> ClientNames { get; } =
        [.. People.Select((p, i) => $"{p}@{(i % 3 == 0 ? "laptop" : i % 3 == 1 ? "devbox" : "ops")}-{i + 1:00}"), .. Hosts];

    public const int NativeClients = 25;

    /// <summary>The host part of client <paramref name="client"/>'s address: a private IPv4, a few IPv6.</summary>
    public static string HostOf(int client) => client % 7 == 6
        ? $"[fd00:10:{client:x}::{client + 5:x}]"
        : $"10.{8 + client / 8}.{client % 8}.{11 + client * 3}";

    /// <summary>A note of exactly <paramref name="targetBytes"/> UTF-8 bytes: fragments, then an ASCII reference to pad.</summary>
    public static string Text(Random rng, int targetBytes, bool withMarker)
    {
        var sb = new StringBuilder(targetBytes);
        var bytes = 0;
        if (withMarker)
        {
            Append(sb, ref bytes, rng.Next(2) == 0 ? $"{GrepMarker} hit search-3" : $"{GrepMarker} 杀掉了进程");
        }
        var style = rng.NextDouble();
        // 60% ASCII, 25% mixed, 15% Chinese.
        for (var tries = 0; tries < 8; tries++)
        {
            var chinese = style switch { < 0.60 => false, < 0.85 => rng.Next(2) == 0, _ => true };
            var fragment = chinese ? Chinese[rng.Next(Chinese.Length)] : Ascii[rng.Next(Ascii.Length)];
            var size = Encoding.UTF8.GetByteCount(fragment) + (sb.Length > 0 ? (chinese ? 3 : 2) : 0);
            if (bytes + size > targetBytes - 6) break;
            if (sb.Length > 0) Append(sb, ref bytes, chinese ? "，" : "; ");
            Append(sb, ref bytes, fragment);
        }
        if (bytes < targetBytes)
        {
            Append(sb, ref bytes, " #");
            while (bytes < targetBytes) Append(sb, ref bytes, "0123456789abcdef"[rng.Next(16)].ToString());
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ref int bytes, string text)
    {
        sb.Append(text);
        bytes += Encoding.UTF8.GetByteCount(text);
    }
}
