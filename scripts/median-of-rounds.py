#!/usr/bin/env python3
# The median of the round medians per workload, from one or more output folders of scripts/compare-peer.sh
# (the median, because one disturbed round swings a mean): engine and PyTorch ms per round, the
# speed ratio, the FLOP floor at the engine's best GEMM rate in these rounds, and the engine's bytes allocated per step.
# Usage: python3 scripts/median-of-rounds.py /tmp/evp-a [/tmp/evp-b ...]
import json, sys, statistics, glob
dirs = sys.argv[1:]
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
engine, peer, flops, alloc = {}, {}, {}, {}
for d in dirs:
    for f in sorted(glob.glob(f"{d}/engine-*.jsonl")):
        r = f.split("-")[-1].split(".")[0]
        for line in open(f):
            j = json.loads(line)
            engine.setdefault(j["workload"], []).append(j["median_ms"])
            flops[j["workload"]] = j["gflops"] * j["median_ms"] * 1e6
            alloc[j["workload"]] = j.get("alloc_bytes_per_unit")
        p = json.load(open(f"{d}/peer-{r}.json"))["results"]
        for name, path in peer_key.items():
            node = p
            for key in path:
                node = node.get(key, {}) if isinstance(node, dict) else {}
            if "median_ms" in node:
                peer.setdefault(name, []).append(node["median_ms"])
peak = max(flops[w] / (min(engine[w]) * 1e6) for w in ("sgemm-1024", "sgemm-4096"))
print(f"rounds: {len(engine['vae-mlp-step'])}; FLOP floor at the engine's best GEMM rate in these rounds: {peak:.0f} GFLOP/s\n")
print("| workload | engine ms: median (rounds) | PyTorch ms: median (rounds) | engine speed vs PyTorch | FLOP floor ms | engine ÷ floor | engine bytes allocated per step |")
print("|---|---:|---:|---:|---:|---:|---:|")
f3 = lambda v: f"{v:.3g}"
for name in peer_key:
    if name not in engine: continue
    e = statistics.median(engine[name]); q = statistics.median(peer[name])
    floor = flops[name] / (peak * 1e6)
    a = alloc.get(name)
    print(f"| {name} | {f3(e)} ({' / '.join(map(f3, engine[name]))}) | {f3(q)} ({' / '.join(map(f3, peer[name]))}) | {q/e:.2f}× | {f3(floor)} | {e/floor:.2f}× | {a if a is not None else '—'} |")
