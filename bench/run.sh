#!/usr/bin/env bash
# Builds Release and runs every NetJournal benchmark on this machine beside its references (the raw loopback UDP
# limit and a private, tuned rsyslogd), then writes bench/results/latest.md (the Targets table first, then every
# section) and bench/results/latest.json (all figures).
#
#   bench/run.sh [N]          N notes for `memory` (default 1000000; it also runs 2N)
#   BENCH_QUICK=1 bench/run.sh   smaller counts and shorter trials (about 5 minutes; figures are indicative only)
#
# Everything but `remote` and `lossy` runs on 127.0.0.1 (when run as root, `remote` puts its clients in a network
# namespace of their own, joined by a veth pair; `lossy` its servers and clients in two, nftables dropping packets
# between them); servers are real `netjournal serve` processes on temporary data folders, which are deleted afterwards.
# rsyslog is installed with apt-get when missing; the benchmark always runs its own rsyslogd
# (`-n -f <its own config> -i <its own pid file>`), never the system one, and stops it.
# About 12 minutes on 2 cores (5 of them the bulk rounds), plus several for `lossy` (its runs at 30% loss are the slowest, each bounded at 120 s);
# every step is under `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

quick=${BENCH_QUICK:-0}
if [ "$quick" = 1 ]; then
  N=${1:-200000}; WRITERS=8; PER_WRITER=20000; APPEND=10000; TRIAL=1; REMOTE_N=50000; REMOTE_M=20000
  LOSSY=(5000 1000 1); BULK=(3 "$WRITERS" "$PER_WRITER" "$TRIAL"); CLIENT_CPU=(200000 1)
  MICRO=(--filter '*ViewRead' '*TryParse' '*TryRead' '*HandleAppendOf1Note' --job short)
else
  N=${1:-1000000}; WRITERS=8; PER_WRITER=100000; APPEND=25000; TRIAL=2; REMOTE_N=200000; REMOTE_M=100000
  LOSSY=(20000 2000 3); BULK=(5 "$WRITERS" "$PER_WRITER" "$TRIAL"); CLIENT_CPU=(800000 3)
  # Every message type's view; encode and decode of the three hot messages; the journal line; the server's handling.
  MICRO=(--filter '*ViewRead' '*AppendRequestCodec*' '*AppendAckCodec*' '*HistoryPageCodec*' '*JournalLine*' '*ServerHandling*' --job short)
fi
results="$PWD/bench/results"
mkdir -p "$results"
rm -rf "$results/micro" "$results/memory.json" "$results/load.json" "$results"/load-batch-*.json "$results/compare.json" "$results/remote.json" "$results/lossy.json" \
  "$results/bulk.json" "$results/client-cpu.json"

RSYSLOGD=/usr/sbin/rsyslogd
if [ ! -x "$RSYSLOGD" ]; then
  echo "== installing rsyslog (apt-get)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update && $sudo apt-get install -y rsyslog
fi
# The benchmark's rsyslogd writes its pid here; whatever happens to the benchmark, it is stopped on exit.
tmp=$(mktemp -d)
export NETJOURNAL_BENCH_RSYSLOG_PIDFILE="$tmp/rsyslog.pid"
stop_rsyslog() {
  if [ -s "$NETJOURNAL_BENCH_RSYSLOG_PIDFILE" ]; then
    pid=$(cat "$NETJOURNAL_BENCH_RSYSLOG_PIDFILE")
    if [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = rsyslogd ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  fi
  rm -rf "$tmp"
}
trap stop_rsyslog EXIT

# netjournal as it is installed for production use: published for this machine, compiled ahead of time (ReadyToRun,
# as the README's publish command does; the tests run the JIT-compiled netjournal.dll).
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
published="$PWD/bench/NetJournal.Bench/bin/netjournal-$rid"
echo "== publish netjournal (Release, $rid, ReadyToRun) and build the benchmark"
dotnet publish src/NetJournal.Cli -c Release -r "$rid" -o "$published" -nologo -v quiet
dotnet build bench/NetJournal.Bench -c Release -nologo -v quiet
bench=(dotnet bench/NetJournal.Bench/bin/Release/net10.0/NetJournal.Bench.dll)
export NETJOURNAL_CLI="$published/netjournal"
export NETJOURNAL_BENCH_RESULTS="$results"

status=0
echo "== compare $TRIAL (raw loopback UDP limit, private rsyslogd, NetJournal plain-text datagrams with --rate-limit 0)"
timeout --kill-after=20 300 "${bench[@]}" compare "$TRIAL" || status=1

echo "== keys 1000000 100000 5 (the cost of sealing: servers with keys off and on, taking turns round by round)"
timeout --kill-after=20 600 "${bench[@]}" keys 1000000 100000 5 || status=1

echo "== load $WRITERS $PER_WRITER (netjournal write processes)"
timeout --kill-after=20 300 "${bench[@]}" load "$WRITERS" "$PER_WRITER" || status=1
for batch in 128 256; do
  echo "== load $WRITERS $PER_WRITER $batch (the same with serve --max-batch $batch: typed-note latency against bulk throughput)"
  timeout --kill-after=20 300 "${bench[@]}" load "$WRITERS" "$PER_WRITER" "$batch" || status=1
done

echo "== bulk ${BULK[*]} (rounds, writers, notes each, seconds a trial: rsyslog's zero-loss search and the write load in turns)"
timeout --kill-after=20 1200 "${bench[@]}" bulk "${BULK[@]}" || status=1

echo "== client-cpu ${CLIENT_CPU[*]} (one netjournal write of that many notes, its CPU per note; runs)"
timeout --kill-after=20 600 "${bench[@]}" client-cpu "${CLIENT_CPU[@]}" || status=1

echo "== memory $N (and $((2 * N))), append $WRITERS x $APPEND"
timeout --kill-after=20 360 "${bench[@]}" memory "$N" "$APPEND" || status=1

echo "== follow (100 followers, 4 writers of typed notes; delay, server CPU per follower, canary across a restart)"
timeout --kill-after=20 420 "${bench[@]}" follow 100 4 250 2 || status=1

if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1; then
  echo "== remote $REMOTE_N $REMOTE_M (netjournal processes in a network namespace, over a veth pair)"
  timeout --kill-after=20 300 "${bench[@]}" remote "$REMOTE_N" "$REMOTE_M" || status=1
else
  echo "== remote: skipped (a network namespace needs root and iproute2)"
fi

if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1 && command -v nft >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
  echo "== lossy ${LOSSY[*]} (0-30% of packets dropped each way between two network namespaces; curl over TCP beside it)"
  # Every run inside is bounded at 120 s; the namespaces (and their nftables rules) are deleted on exit.
  timeout --kill-after=20 1800 "${bench[@]}" lossy "${LOSSY[@]}" || status=1
else
  echo "== lossy: skipped (needs root, iproute2, nft and curl)"
fi

echo "== micro (BenchmarkDotNet, --job short; log in bench/results/micro.log)"
timeout --kill-after=20 420 "${bench[@]}" micro "${MICRO[@]}" --artifacts "$results/micro" --exporters json \
  > "$results/micro.log" 2>&1 || { status=1; tail -30 "$results/micro.log"; }
sed -n '/^\/\/ \* Summary \*/,/^\/\/ \* Legends \*/p' "$results/micro.log" | grep '^|' || true

echo "== report"
"${bench[@]}" report
echo
cat "$results/latest.md"
exit $status
