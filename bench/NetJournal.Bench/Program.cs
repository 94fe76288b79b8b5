using System.Globalization;
using BenchmarkDotNet.Running;
using NetJournal.Bench;
using NetJournal.Bench.Infra;

const string Usage = """
    usage: NetJournal.Bench <command>
      memory [N] [A]  journal of N (default 1,000,000) and 2N notes opened by a real server: start-up, RSS, full fetch, grep,
                      then 8 clients x A notes (default 25,000) appended, twice
      load [W] [M] [B]  W `netjournal write` processes (default 8) x M notes (default 100,000) of 100 bytes, plus interactive
                      latency; with B, the server runs with --max-batch B and the result goes to load-batch-B.json
      bulk [R] [W] [M] [T]  the bulk target in turns: R rounds (default 5), each rsyslog tuned's zero-loss search (T seconds
                      per trial, default 2) and W `netjournal write` processes (default 8) x M notes (default 100,000), the
                      first alternating; each round's ratio and their median, into bulk.json
      client-cpu [M] [R]  one `netjournal write` of M notes of 100 B (default 800,000) from a file on stdin, R times
                      (default 3): the client's user+system CPU per note, process start included
      compare [T]     the references: raw loopback UDP limit, a private tuned rsyslogd's best zero-loss rate, and NetJournal's
                      plain-text datagrams at the same rates (T seconds per paced trial, default 2)
      plain [R] [N]   N trials (default 10) of 2 s of plain-text datagrams at R/s (default 200,000): the loss of each
      fetch [N] [R]   a journal of N notes (default 1,000,000) on a server with --rate-limit 0: R full fetches by one client
                      (default 5), CPU of both sides, then `netjournal history > file` as text and as JSON
      remote [N] [M]  a client in a network namespace of its own, over a veth pair (needs root): M notes written
                      (default 100,000) and the whole history read from a journal of N (default 200,000), with the
                      defaults and with the former default limit and no client pacing
      lossy [W] [H] [R] [--loss L,...]  a path losing L% of the packets each way (default 0,5,10,20,30; needs root, nft):
                      `netjournal write` of W notes of 30 B (default 20,000), `history --all` of a journal of H notes
                      (default 2,000), R runs each (default 3), beside curl fetching files of the same sizes over TCP
      keys [N] [M] [R]  the cost of sealing: servers with keys off and on, each on a journal of N notes (default 1,000,000);
                      R rounds (default 5) of M notes written (default 100,000) and the whole history fetched, taking turns
      web [N] [R]     `serve --http`: events a reader gets a second while N notes are written (default 100,000) and when it
                      resumes from the start; the delay from acknowledgement to the page in chromium and to a .NET reader
                      (R rounds, default 200)
      follow [F] [W] [M] [R]  F followers (default 100) and W writers (default 4) of M typed notes each (default 250) on
                      loopback, R rounds (default 2): delay from acknowledgement to follower, server CPU per follower
                      (rounds with and without followers in turn), then a canary across reconnects and a server restart
      postgres [W] [M] [R]  W writers (default 8) x M notes of 100 B (default 20,000), acknowledged notes/s into the file
                      store, one and two front ends over a private PostgreSQL, a plain binary COPY of the same notes, and
                      one front end with schema version 1's time index put back, taking turns for R rounds (default 3)
      postgres-scale [N] [R]  a journal of N notes (default 10,000,000) generated in a private PostgreSQL: each query a
                      server issues (clients, counts, last N, history by client, address, time and text, the follow read)
                      timed R times (default 5), with PostgreSQL's plans (auto_explain), into postgres-scale.json
      micro [args]    BenchmarkDotNet micro benchmarks (BenchmarkSwitcher arguments, e.g. --filter '*' --job short)
      report          bench/results/{bulk,client-cpu,memory,load,compare,remote,lossy}.json and the micro results into latest.md and latest.json
    The server is `dotnet src/NetJournal.Cli/bin/Release/net10.0/netjournal.dll` (NETJOURNAL_CLI overrides: a .dll
    runs under dotnet, the published native `netjournal` as itself);
    results go to bench/results (NETJOURNAL_BENCH_RESULTS overrides).
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

Cleanup.Install();
try
{
    switch (args[0])
    {
        case "memory":
            var memory = await MemoryBench.RunAsync(Count(args, 1, 1_000_000), (int)Count(args, 2, 25_000));
            Json.Save(Path.Combine(RepoPaths.Results, "memory.json"), memory);
            return 0;
        case "load":
            int? maxBatch = args.Length > 3 ? (int)Count(args, 3, 0) : null;
            var load = await LoadBench.RunAsync((int)Count(args, 1, 8), (int)Count(args, 2, 100_000), maxBatch);
            Json.Save(Path.Combine(RepoPaths.Results, maxBatch is { } b ? $"load-batch-{b}.json" : "load.json"), load);
            return load.NotStored == 0 && load.WritersFailed == 0 ? 0 : 1;
        case "bulk":
            var bulk = await BulkBench.RunAsync((int)Count(args, 1, 5), (int)Count(args, 2, 8), (int)Count(args, 3, 100_000),
                args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 2.0);
            Json.Save(Path.Combine(RepoPaths.Results, "bulk.json"), bulk);
            return bulk.WritersFailed == 0 && !double.IsNaN(bulk.MedianRatio) ? 0 : 1;
        case "client-cpu":
            var clientCpu = await ClientCpuBench.RunAsync((int)Count(args, 1, 800_000), (int)Count(args, 2, 3));
            Json.Save(Path.Combine(RepoPaths.Results, "client-cpu.json"), clientCpu);
            return clientCpu.Runs.All(r => r.ExitCode == 0) ? 0 : 1;
        case "compare":
            var compare = await CompareBench.RunAsync(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2.0);
            Json.Save(Path.Combine(RepoPaths.Results, "compare.json"), compare);
            return 0;
        case "plain":
            var repeated = await CompareBench.RepeatPlainAsync(Count(args, 1, 200_000), (int)Count(args, 2, 10), 2.0);
            return repeated.Any(t => t.Lost > 0) ? 1 : 0;
        case "fetch":
            await FetchBench.RunAsync(Count(args, 1, 1_000_000), (int)Count(args, 2, 5));
            return 0;
        case "remote":
            var remote = await RemoteBench.RunAsync(Count(args, 1, 200_000), (int)Count(args, 2, 100_000));
            Json.Save(Path.Combine(RepoPaths.Results, "remote.json"), remote);
            return remote.Runs[0].WriteExitCode == 0 && remote.Runs[0].HistoryExitCode == 0 ? 0 : 1;
        case "lossy":
            var lossIndex = Array.IndexOf(args, "--loss");
            if (lossIndex == args.Length - 1) throw new FormatException("--loss needs a list of percentages, e.g. --loss 0,30");
            var losses = lossIndex > 0 ? LossyBench.ParseLosses(args[lossIndex + 1]) : LossyBench.DefaultLosses;
            var counts = lossIndex > 0 ? [.. args[..lossIndex], .. args[(lossIndex + 2)..]] : args;
            var lossy = await LossyBench.RunAsync((int)Count(counts, 1, 20_000), (int)Count(counts, 2, 2_000), (int)Count(counts, 3, 3), losses);
            Json.Save(Path.Combine(RepoPaths.Results, "lossy.json"), lossy);
            return lossy.Levels.All(l => l.AllCompleted) ? 0 : 1;
        case "keys":
            if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("keys runs on Linux");
            var keys = await KeysBench.RunAsync(Count(args, 1, 1_000_000), (int)Count(args, 2, 100_000), (int)Count(args, 3, 5));
            Json.Save(Path.Combine(RepoPaths.Results, "keys.json"), keys);
            return 0;
        case "web":
            var web = await WebBench.RunAsync((int)Count(args, 1, 100_000), (int)Count(args, 2, 200));
            Json.Save(Path.Combine(RepoPaths.Results, "web.json"), web);
            return web.LiveEventsReceived == web.Notes && web.CatchUpEventsReceived == web.Notes ? 0 : 1;
        case "follow":
            var follow = await FollowBench.RunAsync((int)Count(args, 1, 100), (int)Count(args, 2, 4), (int)Count(args, 3, 250), (int)Count(args, 4, 2));
            Json.Save(Path.Combine(RepoPaths.Results, "follow.json"), follow);
            return follow.CanaryMissing == 0 && follow.CanaryDoubled == 0 && follow.CanaryOutOfOrder == 0 ? 0 : 1;
        case "postgres":
            var pg = await PostgresBench.RunAsync((int)Count(args, 1, 8), (int)Count(args, 2, 20_000), (int)Count(args, 3, 3));
            Json.Save(Path.Combine(RepoPaths.Results, "postgres.json"), pg);
            return pg.Runs.All(r => r.NotStored == 0) ? 0 : 1;
        case "postgres-scale":
            var scale = await PostgresScaleBench.RunAsync(Count(args, 1, 10_000_000), (int)Count(args, 2, 5));
            Json.Save(Path.Combine(RepoPaths.Results, "postgres-scale.json"), scale);
            return 0;
        case "micro":
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(MemoryBench).Assembly).Run(args[1..]).ToList();
            var failed = summaries.Count == 0 || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
            return failed ? 1 : 0;
        case "report":
            Report.Write(RepoPaths.Results);
            return 0;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (Exception e) when (e is InvalidOperationException or IOException or FormatException or OperationCanceledException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"{args[0]} failed: {e}");
    return 1;
}

static long Count(string[] args, int index, long fallback) =>
    args.Length > index ? long.Parse(args[index].Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;
