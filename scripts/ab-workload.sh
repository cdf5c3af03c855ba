#!/usr/bin/env bash
# A/B one workload between two builds of the engine, interleaved: each round runs both (alternating which goes first),
# each run a fresh process; prints both medians and minimums and the pairwise ratio B/A (median over rounds of B's median
# divided by A's in the same round), the measure used in docs/performance.md on this shared, noisy machine.
# Usage: scripts/ab-workload.sh <checkout A> <checkout B> <workload> [rounds (default 10)] [repeat (default 50)]
# Build both first: dotnet build -c Release Engine.Benchmarks (in each checkout, e.g. a `git worktree` of the base commit).
set -euo pipefail
a=$1; b=$2; workload=$3; rounds=${4:-10}; repeat=${5:-50}
median() {
    dotnet "$1/Engine.Benchmarks/bin/Release/net10.0/Engine.Benchmarks.dll" workload "$workload" --repeat "$repeat" --warmup 10 \
        | tail -1 | python3 -c 'import json, sys; print(json.loads(sys.stdin.read())["median_ms"])'
}
for ((i = 1; i <= rounds; i++)); do
    if ((i % 2)); then x=$(median "$a"); y=$(median "$b"); else y=$(median "$b"); x=$(median "$a"); fi
    echo "$x $y"
done | python3 -c '
import statistics as st, sys
pairs = [tuple(map(float, line.split())) for line in sys.stdin]
ratios = [b / a for a, b in pairs]
print("A median %.3f min %.3f | B median %.3f min %.3f | pairwise B/A %.3f (%s)" % (
    st.median(p[0] for p in pairs), min(p[0] for p in pairs), st.median(p[1] for p in pairs), min(p[1] for p in pairs),
    st.median(ratios), " ".join("%.2f" % r for r in ratios)))
'
