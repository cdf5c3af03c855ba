#!/usr/bin/env bash
# The main job: train and evaluate the MLP VAE on MNIST and write
# results/vae/mnist/mlp/results.json and results.md. Needs only the .NET SDK: `dotnet run`
# restores and builds first. Extra arguments go to the console, e.g.
#   bash run.sh --preset quick        (about a minute)
#   bash run.sh --data /path/to/datasets --out /tmp/results --seed 2
set -euo pipefail
cd "$(dirname "$0")"
# Fashion-MNIST (used by later experiments) comes from a Debian package; harmless when present or impossible.
bash scripts/install-datasets.sh >/dev/null 2>&1 || true
exec dotnet run -c Release --project Engine.Experiments -- run vae/mnist/mlp "$@"
