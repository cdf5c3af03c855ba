#!/usr/bin/env bash
# Engine vs PyTorch, side by side: every workload of ../shared/spec/benchmarks.md, interleaved in rounds
# (all engine workloads, then the whole peer script, repeated), with the peer's warm-up and repeat counts,
# 2 threads on both sides. Writes the raw JSON under $OUT and prints a markdown table: the mean of the
# rounds' medians, speed ratio (PyTorch ms ÷ engine ms) and the FLOP floor (nominal FLOPs ÷ the engine's
# best measured GEMM rate in the same run). PyTorch is a comparison only, never a dependency:
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

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, sys, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
peer_key = {
    "sgemm-100x784x300": ("a_gemm", "torch_mm_100x784x300"), "sgemm-100x300x300": ("a_gemm", "torch_mm_100x300x300"),
    "sgemm-100x300x784": ("a_gemm", "torch_mm_100x300x784"), "sgemm-1024": ("a_gemm", "torch_mm_1024x1024x1024"),
    "sgemm-4096": ("a_gemm", "torch_mm_4096x4096x4096"), "vae-mlp-step": ("b_mlp_vae_step",),
    "vae-vamp-step": ("c_vampprior_vae_step",), "vae-conv-step": ("d_conv_vae_step",), "hypervae-step": ("e_hypervae_step",),
    "iwae50-step": ("f_iwae_k50_step",), "isnll-mlp": ("g_is_nll_S1024", "mlp_vae"), "isnll-conv": ("g_is_nll_S1024", "conv_vae"),
    "hypernet-step": ("i_hypernet_step",),
}
for layer, peer_layer in [("conv-1x32", "conv2d_1to32_28to14"), ("conv-32x64", "conv2d_32to64_14to7"),
                          ("convt-64x32", "convT2d_64to32_7to14"), ("convt-32x1", "convT2d_32to1_14to28")]:
    for engine_pass, peer_pass in [("fwd", "fwd"), ("bwd-data", "bwd_data"), ("bwd-weight", "bwd_weight_bias")]:
        peer_key[f"{layer}-{engine_pass}"] = ("h_conv_micro", peer_layer, peer_pass)
engine, peer, flops = {}, {}, {}
for r in range(1, rounds + 1):
    for line in open(f"{out}/engine-{r}.jsonl"):
        j = json.loads(line)
        engine.setdefault(j["workload"], []).append(j["median_ms"])
        flops[j["workload"]] = j["gflops"] * j["median_ms"] * 1e6
    p = json.load(open(f"{out}/peer-{r}.json"))["results"]
    for name, path in peer_key.items():
        node = p
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if "median_ms" in node:
            peer.setdefault(name, []).append(node["median_ms"])
peak = max(flops[w] / (statistics.mean(engine[w]) * 1e6) for w in ("sgemm-1024", "sgemm-4096") if w in engine)
print(f"FLOP floor at the engine's best GEMM rate in this run: {peak:.0f} GFLOP/s\n")
print("| workload | engine ms (per round) | PyTorch ms (per round) | engine speed vs PyTorch | FLOP floor ms | engine ÷ floor |")
print("|---|---:|---:|---:|---:|---:|")
for name in peer_key:
    if name not in engine:
        continue
    e = statistics.mean(engine[name])
    rounds_e = " / ".join(f"{v:.3g}" for v in engine[name])
    if name in peer:
        q = statistics.mean(peer[name])
        rounds_p = " / ".join(f"{v:.3g}" for v in peer[name])
        speed = f"{q / e:.2f}×"
        peer_cell = f"{q:.3g} ({rounds_p})"
    else:
        peer_cell, speed = "—", "—"
    floor = flops[name] / (peak * 1e6)
    print(f"| {name} | {e:.3g} ({rounds_e}) | {peer_cell} | {speed} | {floor:.3g} | {e / floor:.1f}× |")
PY
