# A/B on the GPU (run from the repo root: PYTHONPATH=$PWD python3 results/bench_llm/auto_ab.py > OUT.txt):
# is `apply='auto'` slower than the form it chose in the launch-bound rows of the scaling sweep (width 2048, 4 layers,
# batch 4, seq 256-1024), and does the fast path of `ApplyChoice` (a training call after the forward's first reads the
# plan without the cost model's key) change that? Four LoRA r8 all-linear models stay resident; `auto_old` is `auto` with
# the previous `ApplyChoice.__call__` put back for its steps. Each round times every form once (rotated order), median of
# 15 steps after 3 warm-up; the host time is one unsynced step (the time for Python to queue it).
import os, statistics, time, torch
from torch import Tensor
from tlora_nb.bench_llm import llm_config, llm_model, llm_row, llm_step
from tlora_nb.bench import time_steps
from tlora_nb.adapter import ApplyChoice
new_call = ApplyChoice.__call__
def old_call(self, args, training=False):
    self.last = self.plan(self.module, args, training)
    return self.last
dev = torch.device(os.environ.get('DEV', 'cuda'))
sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
rounds = int(os.environ.get('ROUNDS', 12))
print(torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu', 'torch', torch.__version__)
cfg = llm_config(2048, 4, seq=4096, tiny=dev.type != 'cuda')
base = llm_model(cfg, dev, torch.bfloat16 if dev.type == 'cuda' else torch.float32)
for seq in (256, 512, 1024):
    ids = torch.randint(0, cfg.vocab_size, (4, seq), device=dev)
    steps = {}
    for f in ('dense', 'factored', 'auto', 'auto_old'):
        m, p = llm_row(base, 'lora', 'all-linear', 8, 'auto' if f == 'auto_old' else f)
        steps[f] = llm_step(m, ids, p, dev.type == 'cuda')
    forms, ms, host = list(steps), {f: [] for f in steps}, {f: [] for f in steps}
    for r in range(rounds):
        k = r % len(forms)
        for f in forms[k:] + forms[:k]:
            ApplyChoice.__call__ = old_call if f == 'auto_old' else new_call
            ms[f].append(statistics.median(time_steps(steps[f], 3, 15, dev)))
            sync(); t = time.perf_counter(); steps[f](); host[f].append((time.perf_counter() - t) * 1e3)
            sync()
    ApplyChoice.__call__ = new_call
    for f in forms:
        print(f"seq {seq:5d} {f:9s} step ms median {statistics.median(ms[f]):6.2f} min {min(ms[f]):6.2f} | host ms of an "
              f"unsynced step median {statistics.median(host[f]):6.2f} | rounds {[round(v, 1) for v in ms[f]]}", flush=True)
    steps = None
