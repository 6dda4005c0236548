"""A/B of the 2026-11-23 (third session) speed changes, in one process on one GPU, by `tlora_bench`'s protocol.

Rows: the references (full FT, floor, HF PEFT LoRA r8 on q,k,v), then
- the engine change: each W + ΔW built once per forward, in bf16 under autocast, and the stacked ΔW released as
  its slices are used ("new engine") against the earlier fp32 W + ΔW with ΔW kept to the end of the forward
  ("@old": `OldAddDelta`, `OldDeltaCache` below);
- tCURLoRA's ΔW as one real matmul (`herm_lowrank`) against the earlier inverse real FFT (`herm_ifft`, `_TCURFFT`);
- what adapting O costs (LoRA on q,k,v,o) and FacT against LoRA/PEFT on all linear layers (equal coverage).

    python tools/speed_ab.py OUT_DIR [--steps 60] [--rounds 4]

Writes OUT_DIR/speed_ab.md and .csv; the rows are timed round-robin (`bench_interleaved`'s scheme) and peak memory
is measured while each row is built and warmed up, above what the resident rows hold.
"""
import argparse, copy, csv, statistics, sys, time
from pathlib import Path
import torch
from tlora_nb import core
from tlora_nb.core import add_adapter, register_method, find_targets, find_head
from tlora_nb.bench import bench_model, bench_batch, make_row, train_step, time_steps, _free, _env
from tlora_nb.tcurlora import TCURLoRA, herm_ifft
from tlora_nb.lora import LoRA


class OldAddDelta(core.AddDelta):
    "The engine before this change: W + ΔW in W's dtype (fp32; autocast casts it), each time the weight is read."
    def forward(self, W): return self.build(W)


class OldDeltaCache(core.DeltaCache):
    "The engine before this change: the stacked ΔW is kept to the end of the forward."
    def fill(self, module, args):
        a = self.adapter
        if a.recompute_delta and torch.is_grad_enabled():
            d = torch.utils.checkpoint.checkpoint(a.delta_weights, use_reentrant=False, preserve_rng_state=False)
        else: d = a.delta_weights()
        a._delta_cache = d.unbind(0) if isinstance(d, torch.Tensor) else tuple(d)


@register_method('_tcur_fft')
class _TCURFFT(TCURLoRA):
    "tCURLoRA with the earlier batched ΔW: inverse real FFT of the Hermitian half (complex d_out×d_in products)."
    def delta_weights(self):
        out = [None] * len(self.targets)
        for gs in self._stack_groups:
            st = self.stacks[gs[0]]
            D = herm_ifft(st.C, st.U - st.U0, st.R, dim=0)[None]
            for i, w in zip(self.members[gs[0]], (self.scale * D).flatten(0, 1).unbind(0)): out[i] = w
        return out


@register_method('_lora_attn')
class _LoRAAttn(LoRA):
    default_targets = 'attn'


def peft_all(model, rank=8):
    from peft import LoraConfig, get_peft_model
    names = sorted({t.module for t in find_targets(model, 'all-linear')})
    cfg = LoraConfig(r=rank, lora_alpha=rank, lora_dropout=0.0, target_modules=names, modules_to_save=find_head(model))
    return get_peft_model(model, cfg)


def build(base, label, device):
    "label -> (model, params, floor)."
    old = label.endswith('@old')
    name = label.removesuffix('@old')
    if name == 'peft_lora_all':
        model = peft_all(copy.deepcopy(base).to(device).train())
        return model, [p for p in model.parameters() if p.requires_grad], False
    kw = {}
    if name.endswith('/all-linear'): name, kw = name.split('/')[0], dict(targets='all-linear')
    saved = core.DeltaCache, core.AddDelta
    if old: core.DeltaCache, core.AddDelta = OldDeltaCache, OldAddDelta
    try: return make_row(base, name, 'dense', 8, device, **kw)
    finally: core.DeltaCache, core.AddDelta = saved


ROWS = ['full', 'floor', 'peft_lora', 'lora', 'lora@old', 'tcurlora', 'tcurlora@old', '_tcur_fft@old', '_lora_attn',
        '_lora_attn@old', 'fact_tt', 'fact_tt@old', 'fact_tk', 'lora/all-linear', 'peft_lora_all']


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument('out')
    p.add_argument('--steps', type=int, default=60)
    p.add_argument('--rounds', type=int, default=4)
    p.add_argument('--rows', default=','.join(ROWS))
    p.add_argument('--profile', default='tcurlora', help="rows to profile (kernels grouped by shapes)")
    p.add_argument('--tiny', action='store_true', help="a CPU smoke test of this script (numbers mean nothing)")
    a = p.parse_args(argv)
    dev = 'cpu' if a.tiny else 'cuda'
    cuda = dev == 'cuda'
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    env = _env(dev)
    base = bench_model(tiny=a.tiny, device=dev).cpu()
    x, y = bench_batch(base, 4 if a.tiny else 128, dev)
    rows, live = [], []
    for label in a.rows.split(','):
        _free(dev)
        m0 = torch.cuda.memory_allocated() if cuda else 0
        if cuda: torch.cuda.reset_peak_memory_stats()
        row = dict(row=label, ms=float('nan'), peak_gib=float('nan'), trainable=0, error='')
        try:
            model, params, floor = build(base, label, dev)
            row['trainable'] = sum(q.numel() for q in params)
            step = train_step(model, x, y, params, floor)
            time_steps(step, 5, 0, dev)
            if cuda: row['peak_gib'] = (torch.cuda.max_memory_allocated() - m0) / 2**30
            live.append((row, step, []))
        except Exception as e: row['error'] = f"{type(e).__name__}: {str(e)[:200]}"
        rows.append(row)
        print(f"built {label:18s} {row['peak_gib']:.3f} GiB {row['error']}", file=sys.stderr, flush=True)
    per = max(1, a.steps // a.rounds)
    for k in range(a.rounds):
        for row, step, ts in live: ts += time_steps(step, 1, per, dev)
        print(f"round {k + 1}: " + ', '.join(f"{r['row']} {statistics.median(t[-per:]):.1f}" for r, _, t in live),
              file=sys.stderr, flush=True)
    for row, step, ts in live: row['ms'] = statistics.median(ts)
    profiles = []
    from torch.profiler import profile, ProfilerActivity
    for row, step, ts in live:
        if row['row'] not in a.profile.split(','): continue
        with profile(activities=[ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else []), record_shapes=True) as prof:
            for _ in range(3): step()
            if cuda: torch.cuda.synchronize()
        key = 'self_device_time_total' if cuda else 'self_cpu_time_total'
        profiles.append(f"## Profile: {row['row']} (3 steps, grouped by input shapes)\n\n```\n" +
                        prof.key_averages(group_by_input_shape=True).table(sort_by=key, row_limit=30,
                                                                          max_name_column_width=40) + "\n```\n")
    ref = {r['row']: r for r in rows}
    full, peft = ref['full']['ms'], ref['peft_lora']
    lines = [f"Device: {env['device']} · torch {env['torch']} · transformers {env['transformers']} · peft {env['peft']} "
             f"· {env['date']}", '', f"Command: `python tools/speed_ab.py OUT --steps {a.steps} --rounds {a.rounds}`", '',
             f"ViT-B/16, batch 128, bf16 autocast, SDPA, AdamW; median of {a.steps} steps after 5 warm-up, rows timed "
             f"round-robin in {a.rounds} rounds, all rows resident. `@old`: the engine before this change.", '',
             '| row | ms/step | × full FT | × PEFT thr | peak GiB | × PEFT mem | trainable |', '|---|---:|---:|---:|---:|---:|---:|']
    for r in rows:
        if r['error']: lines.append(f"| {r['row']} | error: {r['error']} | | | | | |"); continue
        lines.append(f"| {r['row']} | {r['ms']:.2f} | {r['ms'] / full:.3f} | {peft['ms'] / r['ms']:.3f} | "
                     f"{r['peak_gib']:.3f} | {r['peak_gib'] / peft['peak_gib']:.4f} | {r['trainable']:,} |")
    (out / 'speed_ab.md').write_text('\n'.join(lines) + '\n\n' + '\n'.join(profiles))
    with open(out / 'speed_ab.csv', 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=['row', 'ms', 'peak_gib', 'trainable', 'error'])
        w.writeheader(); w.writerows(rows)
    print('\n'.join(lines))


if __name__ == '__main__': main()
