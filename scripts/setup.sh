#!/usr/bin/env bash
# Set up a fresh machine for hitl_widgets: a venv in .venv with the package installed.
#   bash scripts/setup.sh            # the package (+ JupyterLab and Voila for the demo)
#   bash scripts/setup.sh test       # + everything the tests need
# torch is pinned first: the CPU wheel on this machine's disk; a bare `torch`
# requirement in a fresh venv would otherwise pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-demo}"
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/pip install -q "torch==2.13.0"
# a regular install, as a user gets it (editable installs skip the Jupyter server config file)
.venv/bin/pip install -q ".[${extras}]"
.venv/bin/pip check
