# A/B on the GPU (run from the repo root: PYTHONPATH=$PWD python3 results/bench_llm/rows_ab.py > OUT.txt):
# does sharing the factors' rows (`TensorAdapter.row`: one `unbind` per stacked factor per training forward, instead of
# one indexing per target) speed up the factored form where an LLM step is bound by the host (width 2048, 4 layers,
# batch 4, seq 256-1024)? LoRA and CP r8 on all-linear, forced factored, each model resident; `*_idx` is the same model
# with the rows never shared (`OpenRows` made a no-op for its steps); PEFT LoRA r8 beside them. Each round times every
# row once (rotated order), median of 15 steps after 3 warm-up; host ms is one unsynced step.
import os, statistics, time, torch
from tlora_nb.bench_llm import llm_config, llm_model, llm_row, llm_step
from tlora_nb.bench import time_steps
from tlora_nb.adapter import OpenRows
dev = torch.device(os.environ.get('DEV', 'cuda'))
sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
rounds = int(os.environ.get('ROUNDS', 10))
on_call = OpenRows.__call__
def off_call(self, module, args): return None
print(torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu', 'torch', torch.__version__)
cfg = llm_config(2048, 4, seq=4096, tiny=dev.type != 'cuda')
base = llm_model(cfg, dev, torch.bfloat16 if dev.type == 'cuda' else torch.float32)
for seq in (256, 512, 1024):
    ids = torch.randint(0, cfg.vocab_size, (4, seq), device=dev)
    steps = {}
    for name in ('lora', 'cp', 'peft_lora'):
        m, p = llm_row(base, name, 'all-linear', 8, None if name == 'peft_lora' else 'factored')
        steps[name] = llm_step(m, ids, p, dev.type == 'cuda')
        if name != 'peft_lora': steps[name + '_idx'] = steps[name]
    rows, ms, host = list(steps), {k: [] for k in steps}, {k: [] for k in steps}
    for r in range(rounds):
        k0 = r % len(rows)
        for k in rows[k0:] + rows[:k0]:
            OpenRows.__call__ = off_call if k.endswith('_idx') else on_call
            ms[k].append(statistics.median(time_steps(steps[k], 3, 15, dev)))
            sync(); t = time.perf_counter(); steps[k](); host[k].append((time.perf_counter() - t) * 1e3); sync()
    OpenRows.__call__ = on_call
    for k in rows:
        print(f"seq {seq:5d} {k:9s} step ms median {statistics.median(ms[k]):6.2f} min {min(ms[k]):6.2f} | host ms of an "
              f"unsynced step median {statistics.median(host[k]):6.2f} | rounds {[round(v, 1) for v in ms[k]]}", flush=True)
    steps = None
