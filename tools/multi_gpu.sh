#!/usr/bin/env bash
# Data-parallel speed-up of tlora_train on the GPUs of one machine (issue #4): 1 GPU vs N GPUs, same flags.
# Usage (repo root, a machine with >= 2 GPUs, wheels of fastai & co in .whl/, Fashion-MNIST idx files in .fmnist/):
#   bash tools/multi_gpu.sh OUT_DIR
# Runs (1) the shipped backbone job and (2) a ViT-B/16 (HF config, random init: no hub here) at 224 px, each on
# 1 GPU (plain python -m tlora_nb.cli) and on all GPUs (accelerate launch --multi_gpu), and writes results.json
# of every run plus a summary table to OUT_DIR.
set -eo pipefail
OUT=${1:-multi_gpu_out}; mkdir -p "$OUT"
NGPU=$(python -c "import torch; print(torch.cuda.device_count())")
SITE=/tmp/site; mkdir -p $SITE
python -c "import fastai" 2>/dev/null || pip install -q --no-deps --target $SITE .whl/fa*.whl .whl/beartype*.whl .whl/plum*.whl
python -c "import accelerate" 2>/dev/null || pip install -q --no-deps --target $SITE .whl/accelerate*.whl
export PYTHONPATH=$SITE:$PWD
python -c "import torch, transformers, fastai, accelerate; print('torch', torch.__version__, 'transformers', transformers.__version__, 'fastai', fastai.__version__, 'accelerate', accelerate.__version__, torch.cuda.get_device_name(0), 'x', torch.cuda.device_count())" | tee "$OUT/versions.txt"
python -c "from transformers import ViTConfig, ViTForImageClassification as V; V(ViTConfig(num_labels=5)).save_pretrained('/tmp/vitb16')"
COMMON="--data-path $PWD/.fmnist --no-progress --mixed-precision bf16 --seed 0"
run() {  # name ngpu flags...
  local name=$1 n=$2; shift 2
  if [ "$n" = 1 ]; then CUDA_VISIBLE_DEVICES=0 python -m tlora_nb.cli $COMMON --output-dir "/tmp/runs/$name" "$@"
  else python -m accelerate.commands.launch --multi_gpu --num_processes $n --num_machines 1 --mixed_precision no \
         --dynamo_backend no -m tlora_nb.cli $COMMON --output-dir "/tmp/runs/$name" "$@"; fi
  cp /tmp/runs/$name/results.json "$OUT/$name.json"
}
SHIPPED="--method tucker3 --rank 8"
VITB="--backbone hf:/tmp/vitb16 --image-size 224 --method tucker3 --rank 8 --n-train 25600 --n-valid 2560 --num-epochs 3 --lr 1e-3 --batch-size 128"
run shipped_1gpu 1 $SHIPPED 2>&1 | tee "$OUT/shipped_1gpu.log"
run shipped_${NGPU}gpu $NGPU $SHIPPED 2>&1 | tee "$OUT/shipped_${NGPU}gpu.log"
run vitb16_1gpu 1 $VITB 2>&1 | tee "$OUT/vitb16_1gpu.log"
run vitb16_${NGPU}gpu $NGPU $VITB 2>&1 | tee "$OUT/vitb16_${NGPU}gpu.log"
python - "$OUT" $NGPU <<'PY'
import json, sys; from pathlib import Path
out, n = Path(sys.argv[1]), sys.argv[2]
rows = ['| job | GPUs | images/GPU/step | training loop (s) | speed-up | accuracy |', '|---|---:|---:|---:|---:|---:|']
for job in ('shipped', 'vitb16'):
    one = json.loads((out/f'{job}_1gpu.json').read_text()); many = json.loads((out/f'{job}_{n}gpu.json').read_text())
    for r, g in ((one, 1), (many, int(n))):
        rows.append(f"| {job} | {g} | 128 | {r['fit_seconds']:.1f} | {one['fit_seconds'] / r['fit_seconds']:.2f}x | {100 * r['accuracy']:.2f} |")
(out/'multi_gpu.md').write_text('\n'.join(rows) + '\n'); print('\n'.join(rows))
PY
