#!/usr/bin/env bash
# Issue 25 on a GPU machine: the Fashion-MNIST study (nbs/24_fmnist_study.ipynb) and the same lr grid on BBC MiniLM.
#
# Here (with the venv), once: write .study_carry/ (git-ignored, ~59 MiB: the wheels without tensorly, the MiniLM
# model packed to the headlines' tokens, the Fashion-MNIST images the study uses as uint8):
#     bash tools/study_gpu.sh --prepare
# There (carry .study_carry; python3 with torch, transformers, timm, peft; no internet):
#     bash tools/study_gpu.sh "$OUT"            # add --tiny for a CPU smoke test of the whole path
# Everything lands in "$OUT/study_gpu.tgz" (rows, logs, task.json). Unpack it here with
#     tar xzf study_gpu.tgz -C results/        # -> results/fmnist_study/, results/lr_sweep/bbc_rows/, results/study_logs/
# A second call continues: put the last study_gpu.tgz into .study_carry/ and finished rows are skipped.
# One job per GPU (fmnist on GPU 0, bbc on GPU 1; both on GPU 0 if there is one), several workers per job that
# claim rows one at a time; each worker starts no row after BUDGET seconds and is stopped at HARD seconds.
set -u
cd "$(dirname "$0")/.."
CARRY=.study_carry
if [ "${1:-}" = "--prepare" ]; then
    set -e
    mkdir -p $CARRY/whl
    for f in ${WHEELS:-/work/main/.whl}/*.whl; do case "$(basename "$f")" in tensorly*|optuna*|sqlalchemy*|alembic*) ;; *) cp "$f" $CARRY/whl/;; esac; done
    python -m tlora_nb.fmnist_study --pack $CARRY/fmnist_target.npz
    python tools/minilm_study.py --pack $CARRY/minilm --max-len 16 --out "$(mktemp -d)"
    du -sb $CARRY | awk '{printf "%s: %.1f MiB (upload limit 64 MiB)\n", $2, $1/1048576}'
    exit 0
fi
OUT=${1:?usage: tools/study_gpu.sh OUT [--tiny] | --prepare}
TINY=${2:-}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/study_gpu.XXXXXX)
mkdir -p "$WORK/fmnist_study" "$WORK/lr_sweep/bbc_rows" "$WORK/study_logs"
[ -f $CARRY/study_gpu.tgz ] && tar xzf $CARRY/study_gpu.tgz -C "$WORK" && echo "continuing from $CARRY/study_gpu.tgz"
T0=$(date +%s)
if [ -d $CARRY/whl ] && ! python3 -c "import fastai" 2>/dev/null; then
    python3 -m pip install -q --no-index --no-deps --target /tmp/site $CARRY/whl/*.whl
fi
export PYTHONPATH=$PWD:/tmp/site PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=1 MPLBACKEND=Agg
NGPU=$(python3 -c "import torch; print(torch.cuda.device_count())")
echo "setup $(( $(date +%s) - T0 ))s; GPUs: $NGPU"
nvidia-smi -L 2>/dev/null
if [ -n "$TINY" ]; then BUDGET=${BUDGET:-120}; HARD=${HARD:-240}; FW=1; BW=1
else BUDGET=${BUDGET:-330}; HARD=${HARD:-420}; FW=${FW:-6}; BW=${BW:-4}; fi
G0=0; G1=$(( NGPU > 1 ? 1 : 0 ))
python3 -c "from tlora_nb.text import unpack_encoder; unpack_encoder('$CARRY/minilm')"   # once, before the workers
CLAIMS="$WORK/claims.$T0"
pids=()
for i in $(seq 1 $FW); do
    CUDA_VISIBLE_DEVICES=$G0 timeout -s INT -k 15 $HARD python3 -m tlora_nb.fmnist_study --task fmnist $TINY \
        --data $CARRY/fmnist_target.npz --out "$WORK/fmnist_study" --claim-dir "$CLAIMS/fmnist" \
        --time-budget $BUDGET > "$WORK/study_logs/fmnist_$i.log" 2>&1 &
    pids+=($!); sleep 2
done
for i in $(seq 1 $BW); do
    CUDA_VISIBLE_DEVICES=$G1 timeout -s INT -k 15 $HARD python3 -m tlora_nb.fmnist_study --task bbc $TINY \
        --model $CARRY/minilm --data $CARRY/minilm/texts.tsv --max-len 16 --out "$WORK/lr_sweep/bbc_rows" \
        --claim-dir "$CLAIMS/bbc" --time-budget $BUDGET > "$WORK/study_logs/bbc_$i.log" 2>&1 &
    pids+=($!); sleep 2
done
for p in "${pids[@]}"; do wait $p; echo "worker $p: exit $?"; done
nvidia-smi --query-gpu=name,memory.used --format=csv 2>/dev/null
python3 -m tlora_nb.fmnist_study --report-only --out "$WORK/fmnist_study" > "$WORK/study_logs/report.log" 2>&1 \
    || echo "no report there (see study_logs/report.log): write it here with --report-only"
echo "fmnist rows done: $(ls "$WORK/fmnist_study/rows" 2>/dev/null | wc -l); bbc rows done: $(ls "$WORK/lr_sweep/bbc_rows/rows" 2>/dev/null | wc -l)"
echo "wall $(( $(date +%s) - T0 ))s" | tee "$WORK/study_logs/wall.txt"
tail -n 3 "$WORK"/study_logs/*.log
rm -rf "$CLAIMS" "$WORK/lr_sweep/bbc_rows/cache"
tar czf "$OUT/study_gpu.tgz" -C "$WORK" fmnist_study lr_sweep study_logs
ls -la "$OUT"
