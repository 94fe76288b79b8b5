#!/usr/bin/env bash
# Builds Release and runs every NetJournal benchmark on this machine, then writes
# bench/results/latest.md (tables) and bench/results/latest.json (all figures).
#
#   bench/run.sh [N]     N notes for `memory` (default 1000000; it also runs 2N)
#
# Everything runs on 127.0.0.1; servers are real `netjournal serve` processes on temporary data folders,
# which are deleted afterwards. About 4-6 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

N=${1:-1000000}
results="$PWD/bench/results"
mkdir -p "$results"
rm -rf "$results/micro" "$results/memory.json" "$results/load.json"

echo "== build (Release)"
dotnet build src/NetJournal.Cli -c Release -nologo -v quiet
dotnet build bench/NetJournal.Bench -c Release -nologo -v quiet
bench=(dotnet bench/NetJournal.Bench/bin/Release/net10.0/NetJournal.Bench.dll)
export NETJOURNAL_CLI="$PWD/src/NetJournal.Cli/bin/Release/net10.0/netjournal.dll"
export NETJOURNAL_BENCH_RESULTS="$results"

status=0
echo "== memory $N (and $((2 * N)))"
timeout --kill-after=20 300 "${bench[@]}" memory "$N" || status=1

echo "== load 8 20000"
timeout --kill-after=20 240 "${bench[@]}" load 8 20000 || status=1

echo "== micro (BenchmarkDotNet, --job short; log in bench/results/micro.log)"
timeout --kill-after=20 420 "${bench[@]}" micro --filter '*' --job short --artifacts "$results/micro" --exporters json \
  > "$results/micro.log" 2>&1 || { status=1; tail -30 "$results/micro.log"; }
sed -n '/^\/\/ \* Summary \*/,/^\/\/ \* Legends \*/p' "$results/micro.log" | grep '^|' || true

echo "== report"
"${bench[@]}" report
echo
cat "$results/latest.md"
exit $status
