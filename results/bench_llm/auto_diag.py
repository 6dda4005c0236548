# One-off diagnosis (H200, 2026-12-02 22:44), run from the repo root: PYTHONPATH=$PWD python3 results/bench_llm/auto_diag.py
# Output: results/bench_llm/auto_diag_2244.txt
# Where do auto's extra ms go at a launch-bound LLM scaling row (width 2048, 4 layers, batch 4, seq 256)?
import torch, statistics, time, cProfile, pstats, io, sys
from tlora_nb.bench_llm import llm_config, llm_model, llm_row, llm_step
from tlora_nb.bench import time_steps
import os; dev = torch.device(os.environ.get('DEV', 'cuda'))
cfg = llm_config(int(os.environ.get('W', 2048)), 4, seq=4096)
base = llm_model(cfg, dev, torch.bfloat16)
for seq, width_note in ((256, ''), (2048, '')):
    ids = torch.randint(0, cfg.vocab_size, (4, seq), device=dev)
    res = {}
    for rnd in range(2):
        for form in (['factored', 'auto', 'dense'] if rnd == 0 else ['dense', 'auto', 'factored']):
            model, params = llm_row(base, 'lora', 'all-linear', 8, form)
            step = llm_step(model, ids, params, True)
            ts = time_steps(step, int(os.environ.get('WU', 5)), int(os.environ.get('ST', 30)), dev)
            # host time of a step without sync: launch everything, then time to return
            (torch.cuda.synchronize() if dev.type == 'cuda' else None); t = time.perf_counter(); step(); host = (time.perf_counter() - t) * 1e3; (torch.cuda.synchronize() if dev.type == 'cuda' else None)
            res.setdefault(form, []).append((statistics.median(ts), host))
            if rnd == 1 and seq == 256 and form in ('auto', 'factored'):
                pr = cProfile.Profile(); pr.enable()
                for _ in range(10): step()
                (torch.cuda.synchronize() if dev.type == 'cuda' else None); pr.disable()
                s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats('tottime').print_stats(18)
                print(f'=== cProfile {form} seq {seq} (10 steps)'); print(s.getvalue()[-4200:])
                with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU] + ([torch.profiler.ProfilerActivity.CUDA] if dev.type == 'cuda' else [])) as prof:
                    for _ in range(5): step()
                    (torch.cuda.synchronize() if dev.type == 'cuda' else None)
                print(f'=== torch.profiler {form} seq {seq} (5 steps)')
                print(prof.key_averages().table(sort_by='self_cpu_time_total', row_limit=15))
            model = step = params = None; None
    for f, v in res.items(): print(f'seq {seq} {f}: step ms {[round(a, 1) for a, _ in v]}, host ms of one unsynced step {[round(b, 1) for _, b in v]}')
