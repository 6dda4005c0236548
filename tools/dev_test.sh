#!/usr/bin/env bash
# Set up the dev environment on a fresh machine and run every notebook's tests.
# Fails if the generated library or README are out of sync with the notebooks, or if a notebook fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. environment: a venv with the pinned torch (CPU machines here carry these wheels) and the dev extras
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || $PY -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q ${TORCH_SPEC:-torch==2.14.1 torchvision==0.29.1}
python -m pip install -q -e ".[dev]"
python -c "import torch, fastai, nbdev, transformers, timm, tensorly; print('torch', torch.__version__, '| fastai', fastai.__version__, '| nbdev', nbdev.__version__, '| transformers', transformers.__version__)"

# 2. the offline default data set (Debian's Fashion-MNIST), when we may install it
if [ ! -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q dataset-fashion-mnist >/dev/null; }
fi

# 3. the library and README are generated from nbs/: regenerating must change nothing that is tracked
before=$(git status --porcelain | sort)
unchanged() {   # $1: what ran
  after=$(git status --porcelain | sort)
  if [ "$before" != "$after" ]; then
    echo "$1 changed tracked files: run it, then commit:" >&2
    comm -13 <(echo "$before") <(echo "$after") >&2
    exit 1
  fi
}
nbdev_export
nbdev_clean
python tools/make_readme.py --check
unchanged "nbdev_export / nbdev_clean"

# 4. the docs: nbdev's pre-processing of every notebook (nbdev_proc_nbs; Quarto renders on GitHub, deploy.yaml),
#    every public name documented, and the package built as a wheel that installs and runs in a fresh venv
python tools/split_import_cells.py
timeout 900 python tools/proc_docs.py
unchanged "nbdev_proc_nbs (it regenerates nbs/nbdev.yml from settings.ini)"
timeout 600 python tools/wheel_test.py   # it runs its venvs in an environment without PYTHONPATH/VIRTUAL_ENV/PIP_*

# 5. every notebook, as nbdev_test runs them (cells flagged slow/gpu are skipped)
python tools/test_nbs.py
