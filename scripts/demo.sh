#!/usr/bin/env bash
# Open the demo: set up (venv, package, JupyterLab, Voila) and start JupyterLab on notebooks/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh demo
args=(--ServerApp.open_browser="${HITL_OPEN_BROWSER:-True}")
[ "$(id -u)" = 0 ] && args+=(--ServerApp.allow_root=True)
echo "Opening notebooks/02_image_labeling.ipynb in JupyterLab (Ctrl+C to stop)"
cd notebooks
exec ../.venv/bin/jupyter lab "${args[@]}" "$@" 02_image_labeling.ipynb
