"""The before/after table of `tools/engine_ab.sh`: each method's training step as a ratio to full fine-tuning in
its own process (old and new engine ran one after the other on the same GPU), and unmerged inference vs the base.
Usage: python tools/engine_ab_table.py DIR   (reads DIR/bench_old.csv and DIR/bench_new.csv, writes DIR/ab.md)"""
import csv, sys
from pathlib import Path

def rows(f): return list(csv.DictReader(open(f)))
def train(rs): return {r['row']: r for r in rs if r['table'] == 'train' and r['compiled'] == 'False'}
def infer(rs):
    base = [float(r['img_s']) for r in rs if r['table'] == 'infer' and r['row'] == 'base']
    if not base: return {}                     # run with --no-infer: no inference columns
    b = sum(base) / len(base)
    return {r['row']: float(r['img_s']) / b for r in rs if r['table'] == 'infer' and r['merged'] == 'False'}

d = Path(sys.argv[1])
old, new = rows(d/'bench_old.csv'), rows(d/'bench_new.csv')
to, tn, io, inn = train(old), train(new), infer(old), infer(new)
r0 = new[0]
out = [f"Device: {r0['device']} · torch {r0['torch']} · transformers {r0['transformers']} · {r0['date']}", '',
       'ViT-B/16, batch 128, bf16, dense W + ΔW; each engine in its own process, one after the other on the same '
       'GPU; ms/step is the median of the fastest round; × full FT is within that process.', '',
       '| row | old ms | new ms | old × full FT | new × full FT | old unmerged infer × base | new unmerged infer × base |',
       '|---|---:|---:|---:|---:|---:|---:|']
for k in tn:
    f = lambda t, key: f"{float(t[k][key]):.2f}" if k in t else ''
    g = lambda i: f"{i[k]:.3f}" if k in i else ''
    out.append(f"| {k} | {float(to[k]['ms']):.1f} | {float(tn[k]['ms']):.1f} | {f(to, 'x_full')} | {f(tn, 'x_full')} "
               f"| {g(io)} | {g(inn)} |")
(d/'ab.md').write_text('\n'.join(out) + '\n')
print('\n'.join(out))
