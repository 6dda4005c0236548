#!/usr/bin/env bash
# Issue #23 on one GPU in one call (about 8 minutes on an H200; every part has its own time limit):
#  1. the LLM-scale table and the scaling picture (`tlora_bench_llm`, nbs/16b_bench_llm.ipynb): a Llama-style decoder of
#     0.85 B parameters, bf16, sequence 2048, the largest batch that fits PEFT LoRA, every method at rank 8 with default
#     options beside PEFT LoRA r8 and the frozen floor on qkv and all-linear; then LoRA dense / factored / auto / PEFT
#     against sequence length and width;
#  2. the ViT-B/16 training-step rows (`tlora_bench`, shared/BENCH.md) of FacT and the Q,K,V methods in the modes auto,
#     dense and factored, beside full fine-tuning, the floor and PEFT LoRA r8.
# Usage (repo root; a CUDA machine with python3, torch, transformers, timm, peft; wheels of fastai & co and tensorly
# in .whl/ as for tools/engine_ab.sh):   bash tools/speed_gpu.sh OUT_DIR
set -uo pipefail
out=${1:?output folder}
mkdir -p "$out"
python3 -c "import fastai, tensorly" 2>/dev/null || {
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site; }
export PYTHONPATH=$PWD:${PYTHONPATH:-}
python3 -c "import torch, transformers, peft; print('torch', torch.__version__, torch.cuda.get_device_name(), 'transformers', transformers.__version__, 'peft', peft.__version__)"
t0=$SECONDS
timeout 300 python3 -m tlora_nb.bench_llm --out "$out/llm" --warmup 1 --steps 3 --budget-s 175 --scaling-budget-s 60 \
  > "$out/llm.md" 2> "$out/llm.log"; echo "llm: rc $? after $((SECONDS - t0)) s" | tee -a "$out/llm.log"
timeout 165 python3 -m tlora_nb.bench --methods fact_tt,fact_tk,lora,cp,tucker2,tucker3,httucker,htftucker,multi_layer_tucker,lotr,localized_lora,tcurlora,serial_lora \
  --modes auto,dense,factored --no-infer --no-explain --warmup 3 --steps 12 --out "$out/vit/bench.csv" \
  > "$out/vit.md" 2> "$out/vit.log"; echo "vit: rc $? after $((SECONDS - t0)) s" | tee -a "$out/vit.log"
tail -n 3 "$out/llm.log" "$out/vit.log"
