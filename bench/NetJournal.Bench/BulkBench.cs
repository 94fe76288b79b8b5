using NetJournal.Bench.Infra;

namespace NetJournal.Bench;

/// <summary>One round of `bulk`: rsyslog's zero-loss search and NetJournal's write load, one after the other.</summary>
internal sealed record BulkRound(int Round, string First, RateSearch Rsyslog, double RsyslogPerSecond, LoadResult NetJournal, double Ratio);

/// <summary>
/// The bulk target measured in turns: per round rsyslog tuned's zero-loss rate and NetJournal's acknowledged,
/// fsynced notes/s from W `netjournal write` processes; the ratio of each round and their median.
/// </summary>
internal sealed record BulkResult(
    int Rounds, int Writers, int NotesPerWriter, int NoteBytes, double TrialSeconds, string RsyslogVersion, string RsyslogConfig,
    IReadOnlyList<BulkRound> RoundResults, double MedianRsyslogPerSecond, double MedianNetJournalPerSecond, double MedianRatio, int WritersFailed);

/// <summary>
/// `bulk R W M [T]`: the bulk target, NetJournal and rsyslog taking turns round by round, so that whatever else the
/// machine is doing falls on both alike (one-off runs minutes apart differ by up to 2× on a shared 2-core machine).
/// Each round measures rsyslog tuned's best zero-loss rate for 100-byte notes with <see cref="CompareBench"/>'s
/// search (a fresh private rsyslogd per round) and NetJournal's acknowledged, fsynced rate with
/// <see cref="LoadBench"/> (a fresh server per round, warmed up, W `netjournal write` processes × M notes); which goes
/// first alternates (rsyslog in odd rounds). The ratio of each round is NetJournal's rate over rsyslog's; the result
/// is the median of the R ratios.
/// </summary>
internal static class BulkBench
{
    /// <summary>
    /// Rungs of a later round's search, as fractions of the previous round's zero-loss rate: the first round climbs
    /// compare's whole ladder (50,000/s upwards, 2 bisections); later ones start at 0.8× the last rate found, climb in
    /// steps of a tenth of it and bisect once (5% resolution), or step down when 0.8× already loses.
    /// </summary>
    private static readonly double[] NearRungs = [0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.7, 2.0];

    public static async Task<BulkResult> RunAsync(int rounds, int writers, int perWriter, double trialSeconds)
    {
        var results = new List<BulkRound>();
        double? previous = null;
        string version = "", config = Rsyslog.TunedConfig;
        for (var round = 1; round <= rounds; round++)
        {
            var rsyslogFirst = round % 2 == 1;
            Console.Error.WriteLine($"bulk: round {round} of {rounds}, {(rsyslogFirst ? "rsyslog" : "NetJournal")} first");
            RateSearch? search = null;
            LoadResult? load = null;
            for (var turn = 0; turn < 2; turn++)
            {
                if (turn == 0 == rsyslogFirst)
                {
                    (search, version) = await SearchRsyslogAsync(trialSeconds, previous);
                }
                else
                {
                    load = await LoadBench.RunAsync(writers, perWriter);
                }
            }
            var rsyslogRate = search!.BestPerSecond;
            if (search.Best is not null) previous = rsyslogRate;
            var ratio = rsyslogRate > 0 ? load!.NotesPerSecond / rsyslogRate : double.NaN;
            results.Add(new BulkRound(round, rsyslogFirst ? "rsyslog" : "netjournal", search, rsyslogRate, load!, ratio));
            Console.WriteLine($"bulk: round {round} ({(rsyslogFirst ? "rsyslog" : "NetJournal")} first): NetJournal {load!.NotesPerSecond:N0} notes/s ({writers - load.WritersFailed}/{writers} writers exited 0), rsyslog tuned zero-loss {rsyslogRate:N0}/s{(search.SenderLimited ? " (senders' limit)" : "")}: {ratio:F2}×");
        }
        var medianRatio = Median(results.Select(r => r.Ratio));
        var result = new BulkResult(rounds, writers, perWriter, UdpLoad.NoteBytes, trialSeconds, version, config, results,
            Median(results.Select(r => r.RsyslogPerSecond)), Median(results.Select(r => r.NetJournal.NotesPerSecond)), medianRatio,
            results.Sum(r => r.NetJournal.WritersFailed));
        Console.WriteLine($"bulk: median of {rounds} ratios {medianRatio:F2}× (ratios {string.Join(", ", results.Select(r => r.Ratio.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}); medians NetJournal {result.MedianNetJournalPerSecond:N0} notes/s, rsyslog {result.MedianRsyslogPerSecond:N0}/s");
        return result;
    }

    /// <summary>A private rsyslogd for this search alone: started in a fresh folder, searched, stopped and deleted.</summary>
    private static async Task<(RateSearch Search, string Version)> SearchRsyslogAsync(double trialSeconds, double? previous)
    {
        var dir = RepoPaths.NewTempDirectory("bulk-rsyslog");
        try
        {
            using var rsyslog = Rsyslog.Start(dir);
            Console.Error.WriteLine($"bulk: {rsyslog.Version} listening on {rsyslog.EndPoint}");
            IReadOnlyList<double>? ladder = previous is { } p ? NearRungs.Select(f => Math.Round(f * p / 1000) * 1000).ToList() : null;
            var search = await CompareBench.SearchAsync("rsyslog", trialSeconds,
                (offered, _) => Task.FromResult(CompareBench.RsyslogTrial(rsyslog, offered, trialSeconds)), ladder, ladder is null ? 2 : 1);
            var exit = rsyslog.Stop();
            if (exit != 0) Console.Error.WriteLine($"bulk: rsyslogd exited {exit}");
            return (search, rsyslog.Version);
        }
        finally
        {
            RepoPaths.DeleteQuietly(dir);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
