#!/usr/bin/env bash
# Runs the CPU kernel parity tests (elementwise, optimiser, fused, binary/reduce, GEMM) three times,
# so every code path of the SIMD kernels is checked against the float64 references, not just the
# widest one this CPU has:
#   1. as the machine is (512-bit vectors on an AVX-512 CPU, then 256-bit and scalar tails);
#   2. DOTNET_EnableAVX512=0: 256-bit vectors and scalar tails;
#   3. DOTNET_EnableHWIntrinsic=0: scalar loops only.
# (On .NET 10 the older DOTNET_EnableAVX512F=0 changes nothing; SimdPathsTests fails if a switch
# did not take effect.) Builds once, then runs `dotnet test --no-build`; exits non-zero on the first
# failing configuration. Usage: scripts/test-simd-paths.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

filter='FullyQualifiedName~Engine.Tests.Kernels.Cpu|FullyQualifiedName~GemmParityTests'
dotnet build Engine.Tests -c Release --nologo -v q

run() {
    echo "== test-simd-paths: $1"
    shift
    env "$@" dotnet test Engine.Tests -c Release --no-build --nologo --filter "$filter" "${extra[@]}"
}

extra=("$@")
run "default (widest vectors available)"
run "DOTNET_EnableAVX512=0 (256-bit paths)" DOTNET_EnableAVX512=0
run "DOTNET_EnableHWIntrinsic=0 (scalar paths)" DOTNET_EnableHWIntrinsic=0
echo "== test-simd-paths: all three configurations passed"
