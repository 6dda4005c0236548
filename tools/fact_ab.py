"""FacT on the ViT-B/16 step bench: where its time goes, and an A/B of the ways to apply it, in one GPU process.

Rows are `tlora_bench` rows (`make_row`, `train_step`, `time_steps` of `tlora_nb.bench`), all built first and timed
round-robin (`--rounds`), a row's time the median of its fastest round. A row is `name[:mode][:fp32][:narrow][@targets]`:
`:fp32` builds ΔW in fp32 (`delta_in_autocast = False` on the adapter instance; FacT's default builds it under the
step's bf16 autocast); `:narrow` runs the step with the engine's earlier `place_rows` (a narrow of every target's ΔW,
whose backward zero-fills and copies a ΔW-sized gradient);
`@targets` overrides the method's default targets. For the rows in `--profile` a `torch.profiler` pass of
`--profile-steps` steps gives the GPU's busy time per step (the sum of its kernels) beside the wall time: a step
whose wall time is well above its GPU time is bound by the CPU (Python hooks, op dispatch), not by the GPU.

Usage (repo root, a CUDA machine): python tools/fact_ab.py OUT_DIR [--rounds 6 --steps 60]
"""
import argparse, json, statistics, sys, time
from pathlib import Path
import torch
import tlora_nb.core as core
from tlora_nb.bench import bench_model, bench_batch, make_row, train_step, time_steps, _free, _env

ROWS = ('full,floor,peft_lora,fact_tt:dense,fact_tt:dense:fp32,fact_tt:dense:fp32:narrow,fact_tk:dense,fact_tk:dense:fp32,'
        'fact_tt:auto,fact_tt:factored,fact_tk:factored,cp:dense,cp:dense:narrow,'
        'fact_tt:dense@qkv,lora:dense@all-linear,lora:dense')

def parse(spec:str) -> dict:
    "A row spec 'name[:mode][:fp32][:narrow][@targets]' as a dict."
    spec, _, targets = spec.partition('@')
    name, *rest = spec.split(':')
    return dict(spec=spec + (f'@{targets}' if targets else ''), name=name,
                mode=next((r for r in rest if r in ('dense', 'factored', 'auto')), 'auto'),
                fp32='fp32' in rest, narrow='narrow' in rest, targets=targets or None)

def build(base, r:dict, x, y, device):
    "(step closure, trainable count) of one row."
    kw = dict(targets=r['targets']) if r['targets'] else {}
    model, params, floor = make_row(base, r['name'], r['mode'], 8, device, **kw)
    a = getattr(model, 'tlora_adapter', None)
    if r['fp32']: a.delta_in_autocast = False
    step = train_step(model, x, y, params, floor)
    if r['narrow']:
        def step(inner=step):
            core.place_rows = old_place_rows
            try: inner()
            finally: core.place_rows = new_place_rows
    return model, step, sum(p.numel() for p in params)

new_place_rows = core.place_rows
def old_place_rows(parts, ranges, total, dim=0):
    "`place_rows` before it used a part that is one whole range as is (it narrowed every part)."
    chunks = []
    for part, rr in zip(parts, ranges):
        off = 0
        for a, b in rr: chunks.append((a, part.narrow(dim, off, b - a))); off += b - a
    chunks.sort(key=lambda c: c[0])
    like = chunks[0][1]
    def zeros(n):
        shape = list(like.shape); shape[dim] = n
        return like.new_zeros(shape)
    out, pos = [], 0
    for a, c in chunks:
        if a > pos: out.append(zeros(a - pos))
        out.append(c); pos = a + c.shape[dim]
    if pos < total: out.append(zeros(total - pos))
    return out[0] if len(out) == 1 else torch.cat(out, dim)

def gpu_busy(step, steps:int, device) -> tuple:
    "(wall ms per step, GPU kernel ms per step, CPU-side op count per step, top kernels) over `steps` profiled steps."
    from torch.profiler import profile, ProfilerActivity
    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device == 'cuda' else [])
    with profile(activities=acts) as prof:
        t0 = time.perf_counter()
        for _ in range(steps): step()
        if device == 'cuda': torch.cuda.synchronize()
        wall = (time.perf_counter() - t0) * 1000 / steps
    ka = prof.key_averages()
    dev_key = 'self_device_time_total' if hasattr(ka[0], 'self_device_time_total') else 'self_cuda_time_total'
    from torch.autograd import DeviceType
    busy = sum(getattr(e, dev_key, 0) for e in ka if e.device_type != DeviceType.CPU) / 1000 / steps   # kernels only,
    # as the table's 'Self CUDA time total' (an op's row repeats its kernels' time)
    ops = sum(e.count for e in ka if e.key.startswith('aten::')) // steps
    table = ka.table(sort_by=dev_key if device == 'cuda' else 'self_cpu_time_total', row_limit=22, max_name_column_width=60)
    return wall, busy, ops, table

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out')
    p.add_argument('--rows', default=ROWS)
    p.add_argument('--rounds', type=int, default=6)
    p.add_argument('--steps', type=int, default=60)
    p.add_argument('--warmup', type=int, default=5)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--tiny', action='store_true', help="tiny ViT (a CPU check of the script; numbers mean nothing)")
    p.add_argument('--profile', default='full,floor,fact_tt:dense,fact_tt:dense:fp32:narrow,fact_tt:factored,fact_tk:factored,cp:dense')
    p.add_argument('--profile-steps', type=int, default=5)
    a = p.parse_args(argv)
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    say = lambda *s: print(*s, file=sys.stderr, flush=True)
    env = _env(dev)
    base = bench_model(tiny=a.tiny, device=dev).cpu()
    x, y = bench_batch(base, a.batch, dev)
    rows = [parse(s) for s in a.rows.split(',') if s.strip()]
    live = []
    for r in rows:
        _free(dev)
        try:
            model, step, n = build(base, r, x, y, dev)
            if dev == 'cuda': torch.cuda.reset_peak_memory_stats(); m0 = torch.cuda.memory_allocated()
            time_steps(step, a.warmup, 0, dev)
            a_ = getattr(model, 'tlora_adapter', None)
            r.update(trainable=n, ts=[], error='',
                     chose=dict(sorted({v: 1 for v in a_.apply_choice.values()}.items())) if a_ is not None and a_.apply_mode == 'auto' else '',
                     peak_gib=(torch.cuda.max_memory_allocated() - m0) / 2**30 if dev == 'cuda' else float('nan'))
            live.append((r, model, step))
        except Exception as e:
            r.update(error=f"{type(e).__name__}: {str(e)[:200]}", ts=[])
        say(f"built {r['spec']:28s} {r.get('error', '')}")
    per = max(1, a.steps // a.rounds)
    for k in range(a.rounds):
        for r, model, step in live: r['ts'] += time_steps(step, 1, per, dev)
        say(f"round {k + 1}: " + ', '.join(f"{r['spec']} {statistics.median(r['ts'][-per:]):.1f}" for r, _, _ in live))
    for r in rows:
        if r['ts']:
            rm = [statistics.median(r['ts'][i:i + per]) for i in range(0, len(r['ts']), per)]
            r.update(ms=min(rm), ms_all=statistics.median(r['ts']), round_ms=[round(v, 2) for v in rm])
    full = next((r['ms'] for r in rows if r['spec'] == 'full' and 'ms' in r), float('nan'))
    floor = next((r['ms'] for r in rows if r['spec'] == 'floor' and 'ms' in r), float('nan'))
    def write(prof:dict) -> str:
        "The table (and the profiles so far) to fact_ab.md / .json: written after the timing and after each profile."
        lines = [f"Device: {env['device']} · torch {env['torch']} · transformers {env['transformers']} · {env['date']}", '',
                 f"Command: `python tools/fact_ab.py OUT {' '.join(argv if argv is not None else sys.argv[2:])}`", '',
                 f"ViT-B/16{' (TINY)' if a.tiny else ''}, batch {a.batch}, bf16 autocast, AdamW, rank 8; rows built first, timed "
                 f"round-robin in {a.rounds} rounds of {per} steps; ms = median of the fastest round; wall (prof) and GPU "
                 f"busy: ms per step over {a.profile_steps} profiled steps (GPU busy: the sum of its kernels).", '',
                 '| row | chose | ms/step | × full FT | − floor ms | peak GiB | trainable | wall (prof) | GPU busy | aten ops | rounds |',
                 '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|']
        for r in rows:
            if 'ms' not in r: lines.append(f"| {r['spec']} | error: {r.get('error')} |||||||||"); continue
            f = lambda k, fmt: format(r[k], fmt) if k in r else ''
            lines.append(f"| {r['spec']} | {'/'.join(r['chose']) if r['chose'] else ''} | {r['ms']:.1f} | {r['ms'] / full:.3f} | "
                         f"{r['ms'] - floor:.1f} | {r['peak_gib']:.2f} | {r['trainable']:,} | {f('prof_wall_ms', '.1f')} | "
                         f"{f('gpu_busy_ms', '.1f')} | {f('aten_ops', 'd')} | {' '.join(map(str, r['round_ms']))} |")
        md = '\n'.join(lines) + ''.join(f"\n\n## Profile: {k}\n\n```\n{v}\n```" for k, v in prof.items()) + '\n'
        (out / 'fact_ab.md').write_text(md)
        (out / 'fact_ab.json').write_text(json.dumps(dict(env=env, rows=[{k: v for k, v in r.items() if k != 'ts'} for r in rows]),
                                                      indent=1, default=str))
        return md
    prof = {}
    md = write(prof)
    for r, model, step in live:
        if r['spec'] in a.profile.split(','):
            wall, busy, ops, table = gpu_busy(step, a.profile_steps, dev)
            r.update(prof_wall_ms=wall, gpu_busy_ms=busy, aten_ops=ops)
            prof[r['spec']] = table
            say(f"profiled {r['spec']}: wall {wall:.1f} ms, GPU busy {busy:.1f} ms, {ops} aten ops per step")
            md = write(prof)
    live.clear(); _free(dev)
    print(md)

if __name__ == '__main__': main()
