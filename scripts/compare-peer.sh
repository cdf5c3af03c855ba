#!/usr/bin/env bash
# Engine vs PyTorch, side by side: every workload of ../shared/spec/benchmarks.md, interleaved in rounds
# (all engine workloads, then the whole peer script, repeated), with the peer's warm-up and repeat counts,
# 2 threads on both sides. Writes the raw JSON under $OUT and prints a markdown table (scripts/median-of-rounds.py):
# the median of the rounds' medians, speed ratio (PyTorch ms ÷ engine ms) and the FLOP floor (nominal FLOPs ÷ the
# engine's best measured GEMM rate in the same run). PyTorch is a comparison only, never a dependency:
#   apt-get install -y python3-torch python3-numpy libopenblas0-openmp
# Usage: scripts/compare-peer.sh [rounds (default 2)] [out dir (default /tmp/engine-vs-peer)]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
OUT=${2:-/tmp/engine-vs-peer}
PEER=${PEER:-../shared/peer/bench_peer.py}
mkdir -p "$OUT"
dotnet build -c Release Engine.Benchmarks -v q -nologo > "$OUT/build.log"
BENCH=Engine.Benchmarks/bin/Release/net10.0/Engine.Benchmarks.dll

# workload warmup repeat (the peer's counts for the same section)
WORKLOADS="sgemm-100x784x300 10 200
sgemm-100x300x300 10 200
sgemm-100x300x784 10 200
sgemm-1024 3 30
sgemm-4096 1 4
vae-mlp-step 20 300
vae-vamp-step 10 150
vae-conv-step 10 150
hypervae-step 10 150
iwae50-step 5 60
isnll-mlp 1 9
isnll-conv 1 9
conv-1x32-fwd 10 100
conv-1x32-bwd-data 10 100
conv-1x32-bwd-weight 10 100
conv-32x64-fwd 10 100
conv-32x64-bwd-data 10 100
conv-32x64-bwd-weight 10 100
convt-64x32-fwd 10 100
convt-64x32-bwd-data 10 100
convt-64x32-bwd-weight 10 100
convt-32x1-fwd 10 100
convt-32x1-bwd-data 10 100
convt-32x1-bwd-weight 10 100
hypernet-step 3 30"

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round: engine" >&2
  : > "$OUT/engine-$round.jsonl"
  while read -r name warmup repeat; do
    dotnet "$BENCH" workload "$name" --warmup "$warmup" --repeat "$repeat" --threads 2 >> "$OUT/engine-$round.jsonl"
  done <<< "$WORKLOADS"
  echo "round $round: peer" >&2
  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 "$PEER" --threads 2 --out "$OUT/peer-$round.json" > "$OUT/peer-$round.log" 2>&1
done

/usr/bin/python3 scripts/median-of-rounds.py "$OUT"
