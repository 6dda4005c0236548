"""Default options (apply='auto') against forced dense and HF PEFT LoRA r8 on a CPU, as issue #23 measured them:
a Llama-shaped decoder (fp32, GQA 4:1, gated MLP), targets all-linear, rank 8, one sequence of 512 tokens. Each row runs
in its own process, so its peak resident memory above the adapted model (ru_maxrss minus the RSS before the first step)
is its own; the step times are taken in one more process holding every row, round-robin (a shared machine's load then
touches every row alike). Prints a markdown table of step time and memory as multiples of PEFT's.

    python tools/auto_cpu.py [--widths 1024:2,2048:1] [--rows peft_lora,lora,lora:dense,cp,fact_tt] [--steps 3] [--rounds 3]
"""
import argparse, json, os, resource, statistics, subprocess, sys, time

def rss_kib():
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') // 1024

def one(width, layers, row, seq, steps):
    import torch
    from tlora_nb.bench_llm import llm_config, llm_model, llm_row, llm_step
    torch.manual_seed(0)
    name, _, apply = row.partition(':')
    model = llm_model(llm_config(width, layers, vocab=1024, seq=seq), 'cpu', torch.float32)
    model, params = llm_row(model, name, 'all-linear', 8, apply or None, copy_base=False)
    ids = torch.randint(0, 1024, (1, seq))
    step = llm_step(model, ids, params, amp=False)
    chosen = ''
    a = getattr(model, 'tlora_adapter', None)
    r0 = rss_kib()
    step()                                                         # warm-up (and the optimizer's state)
    ts = []
    for _ in range(steps):
        t = time.perf_counter(); step(); ts.append(time.perf_counter() - t)
    if a is not None:
        from tlora_nb.core import apply_summary
        chosen = apply_summary(a)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return dict(width=width, layers=layers, row=row, ms=1000 * statistics.median(ts), over_mib=(peak - r0) / 1024, chosen=chosen)

def timed(width, layers, rows, seq, rounds):
    "Median step (ms) of every row, all resident in this process, one step per row per round after one warm-up each."
    import torch
    from tlora_nb.bench_llm import llm_config, llm_model, llm_row, llm_step
    torch.manual_seed(0)
    base = llm_model(llm_config(width, layers, vocab=1024, seq=seq), 'cpu', torch.float32)
    ids = torch.randint(0, 1024, (1, seq))
    steps = {}
    for row in rows:
        name, _, apply = row.partition(':')
        model, params = llm_row(base, name, 'all-linear', 8, apply or None)
        steps[row] = llm_step(model, ids, params, amp=False); steps[row]()
    ts = {row: [] for row in rows}
    for _ in range(rounds):
        for row in rows:
            t = time.perf_counter(); steps[row](); ts[row].append(1000 * (time.perf_counter() - t))
    return {row: statistics.median(v) for row, v in ts.items()}

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--widths', default='1024:2,2048:1', help="width:layers pairs")
    p.add_argument('--rows', default='peft_lora,lora,lora:dense,cp,cp:dense,fact_tt,tcurlora')
    p.add_argument('--seq', type=int, default=512)
    p.add_argument('--steps', type=int, default=3)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--one', default='')
    p.add_argument('--time', default='', help="width,layers: only the round-robin step times of --rows (JSON)")
    a = p.parse_args()
    if a.time:
        w, l = a.time.split(','); print(json.dumps(timed(int(w), int(l), a.rows.split(','), a.seq, a.rounds))); return
    if a.one:
        w, l, row = a.one.split(',')
        print(json.dumps(one(int(w), int(l), row, a.seq, a.steps))); return
    res = []
    for wl in a.widths.split(','):
        w, l = wl.split(':')
        for row in a.rows.split(','):
            out = subprocess.run([sys.executable, __file__, '--one', f'{w},{l},{row}', '--seq', str(a.seq), '--steps', str(a.steps)],
                                 capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else dict(width=int(w), layers=int(l), row=row, error=out.stderr.strip().splitlines()[-1])
            print(r, file=sys.stderr, flush=True); res.append(r)
        out = subprocess.run([sys.executable, __file__, '--time', f'{w},{l}', '--rows', a.rows, '--seq', str(a.seq),
                              '--rounds', str(a.rounds)], capture_output=True, text=True)
        ms = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else {}
        print('round-robin ms:', ms, out.stderr[-300:] if out.returncode else '', file=sys.stderr, flush=True)
        for r in res:
            if r['width'] == int(w) and 'error' not in r: r['ms_alone'], r['ms'] = r['ms'], ms.get(r['row'], float('nan'))
    print('| width × layers | row | chosen | ms/step | × PEFT | peak MiB over the model | × PEFT |\n|---|---|---|---:|---:|---:|---:|')
    for r in res:
        peft = next((q for q in res if q['width'] == r['width'] and q['row'] == 'peft_lora' and 'error' not in q), None)
        if 'error' in r: print(f"| {r['width']} × {r['layers']} | {r['row']} | failed: {r['error']} | | | | |"); continue
        print(f"| {r['width']} × {r['layers']} | {r['row']} | {r['chosen']} | {r['ms']:.0f} | {r['ms'] / peft['ms']:.2f} "
              f"| {r['over_mib']:.0f} | {r['over_mib'] / peft['over_mib']:.2f} |")

if __name__ == '__main__': main()
