#!/usr/bin/env bash
# Installs an OpenCL runtime that runs on the CPU (PoCL) plus the ICD loader, so the OpenCL backend's
# tests (Engine.Tests/Kernels/BackendParityTests, OpenClModelTests) run instead of being skipped.
# Non-interactive and idempotent: does nothing when both packages are already installed.
# Debian/Ubuntu only (apt-get); elsewhere it says what to install and exits 0 so CI still runs the
# CPU tests.
set -euo pipefail

packages=(ocl-icd-libopencl1 pocl-opencl-icd)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-pocl: ${packages[*]} already installed"
    exit 0
fi

source "$(dirname "$0")/lib/apt-install.sh"
have_apt install-pocl "install an OpenCL ICD loader and PoCL (or a vendor ICD) by hand. The OpenCL tests will be skipped." || exit 0
apt_install "${missing[@]}"

echo "install-pocl: installed ${missing[*]}"
