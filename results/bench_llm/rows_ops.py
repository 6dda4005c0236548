# Host work of the factored form with and without shared factor rows, counted (deterministic, any CPU):
#   PYTHONPATH=$PWD python3 results/bench_llm/rows_ops.py > results/bench_llm/rows_ops.txt
# aten ops of one training step (forward, backward) of a 16-layer Llama-shaped decoder (width 64, all-linear, rank 4,
# apply='factored', fp32) above the frozen floor's, with the rows of each stacked factor read from one `unbind` per
# forward (`TensorAdapter.row`, the default) and with `OpenRows` made a no-op (every target indexes its factors).
import torch, sys
from tlora_nb.bench_llm import llm_config, llm_model, llm_row, llm_step
from tlora_nb.adapter import OpenRows
on_call = OpenRows.__call__
base = llm_model(llm_config(width=64, layers=16, vocab=128), 'cpu', torch.float32)
ids = torch.randint(0, 128, (1, 8))
def ops(name, apply=None, rows=True):
    m, p = llm_row(base, name, 'all-linear', 4, apply)
    step = llm_step(m, ids, p, amp=False)
    OpenRows.__call__ = on_call if rows else (lambda self, module, args: None)
    try:
        for _ in range(2): step()
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof: step()
    finally: OpenRows.__call__ = on_call
    return sum(e.count for e in prof.key_averages() if e.key.startswith('aten::'))
floor, peft = ops('floor'), ops('peft_lora')
print(f"torch {torch.__version__}; aten ops per step above the frozen floor ({floor}); PEFT LoRA r4: {peft - floor}")
for name in ('lora', 'cp', 'tucker2', 'tucker3', 'httucker', 'htftucker', 'lotr', 'serial_lora'):
    shared, indexed = ops(name, 'factored') - floor, ops(name, 'factored', rows=False) - floor
    print(f"{name:12s} rows shared {shared:6d}   indexed per target {indexed:6d}   {shared / indexed:.2f}x")
