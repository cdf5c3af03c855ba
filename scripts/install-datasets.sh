#!/usr/bin/env bash
# Installs the datasets that come as Debian packages: Fashion-MNIST (dataset-fashion-mnist, which
# fills /usr/share/datasets/fashion-mnist, the last place the engine searches for data).
# Non-interactive and idempotent: does nothing when the folder is already there. Runs
# `apt-get update` only when the install fails (package lists stale or absent on a fresh image).
# Debian/Ubuntu only; elsewhere it says what to do and exits 0 (the Fashion-MNIST tests and
# experiments then report the dataset as missing, with where they looked).
# The other datasets live in ../shared/datasets (see datasets/README.md); none is ever committed.
set -euo pipefail

target=/usr/share/datasets/fashion-mnist
package=dataset-fashion-mnist

if [ -d "$target" ] && [ -n "$(ls -A "$target" 2>/dev/null)" ]; then
    echo "install-datasets: $target already present"
    exit 0
fi

source "$(dirname "$0")/lib/apt-install.sh"
have_apt install-datasets "get Fashion-MNIST with 'Engine.Experiments datasets --download --data DIR' or from github.com/zalandoresearch/fashion-mnist." || exit 0
apt_install "$package"

echo "install-datasets: installed $package into $target"
