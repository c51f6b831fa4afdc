#!/usr/bin/env bash
# Run every test level on a fresh machine: installs what it needs, then
#   1. JS unit tests (node --test) and a check that the shipped bundle is built from js/,
#   2. lint, the layers contract (import-linter), Python unit tests, doctests, README examples, notebooks,
#   3. real-browser tests: JupyterLab and Voila in Debian's headless Chromium (Playwright).
# Screenshots and latencies land in e2e-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export HITL_E2E_ARTIFACTS="${HITL_E2E_ARTIFACTS:-$PWD/e2e-artifacts}"
t() { printf '[test %4ss] %s\n' "$SECONDS" "$*"; }

# Debian's Chromium, in the background while Python installs (Playwright's own browser download cannot work offline)
if ! command -v chromium >/dev/null 2>&1; then
  ( apt-get update -q && apt-get install -y -q chromium ) > apt.log 2>&1 &
  APT_PID=$!
fi

t "python setup"
bash scripts/setup.sh test
t "js setup"
npm ci --no-audit --no-fund --loglevel=error

t "1. js unit tests + bundle check"
node --test js/tests/
npm run --silent check-bundle

t "2. lint + python unit tests, doctests, notebooks"
.venv/bin/ruff check hitl_widgets tests benchmarks
.venv/bin/lint-imports --no-cache   # the layers contract in pyproject.toml: imports only go down
.venv/bin/python -m pytest -q

t "3. real-browser tests"
if [ -n "${APT_PID:-}" ]; then wait "$APT_PID" || { tail -30 apt.log; exit 1; }; fi
chromium --version 2>/dev/null || true
timeout 1200 .venv/bin/python -m pytest -q --durations=5 -o addopts="--strict-markers -p no:cacheprovider" tests/e2e
t "all test levels passed"
