#!/usr/bin/env bash
# The training-step benchmark of the Q,K,V methods on the engine before and after a change, in one GPU call:
# the old package in .old/tlora_nb (e.g. `git archive <commit> tlora_nb | tar -x -C .old`), the new one in ./tlora_nb.
# Usage (repo root, a CUDA machine; wheels of fastai & co and tensorly in .whl/): [METHODS=a,b] bash tools/engine_ab.sh OUT_DIR [bench flags]
set -euo pipefail
out=${1:?output folder}; shift
python3 -c "import tensorly" 2>/dev/null || { python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl; export PYTHONPATH=/tmp/site; }
# the methods: METHODS=a,b,... or, by default, every registered method whose default targets are attention projections
M=${METHODS:-$(PYTHONPATH=$PWD:${PYTHONPATH:-} python3 -c "from tlora_nb.core import method_names, get_method
print(','.join(m for m in method_names() if get_method(m).default_targets in ('qkv', 'qv', 'attn')))")}
mkdir -p "$out"
for tree in old new; do
  root=$PWD; [ $tree = old ] && root=$PWD/.old
  echo "== $tree engine ($root/tlora_nb)"
  PYTHONPATH=$root:${PYTHONPATH:-} python3 -m tlora_nb.bench --methods $M --modes dense --no-explain "$@" --out "$out/bench_$tree.csv"
done
python3 tools/engine_ab_table.py "$out"   # writes $out/ab.md
