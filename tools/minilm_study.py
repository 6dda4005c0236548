#!/usr/bin/env python
"""The MiniLM study (issue 16): every row tuned with the same Optuna budget, then seeded; resumable.

Writes results/minilm_study/rows/<row>.json as each row finishes (rows already written are skipped), then
results.md and accuracy_vs_params.png. Code and tests: nbs/20_text.ipynb, nbs/21_minilm_study.ipynb.

  python tools/minilm_study.py --list-rows
  HF_HUB_OFFLINE=1 python tools/minilm_study.py --rows all --trials 8 --epochs 3 --time-budget 500
  python tools/minilm_study.py --report-only
"""
import os, sys
from pathlib import Path
os.environ.setdefault('HF_HUB_OFFLINE', '1')           # the model and data come from installed packages only
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tlora_nb.core import run_command
from tlora_nb.minilm_study import minilm_study

if __name__ == '__main__':
    sys.exit(run_command('minilm_study', minilm_study, hint='run the same command again: finished rows are kept'))
