"""Run nbdev's docs pre-processing (`nbdev_proc_nbs`: the step of `nbdev_docs` and of the deploy workflow that
executes each notebook's exported, import and `show_doc` cells and writes `_proc/`) and fail when it fails.

`nbdev_proc_nbs` first installs Quarto when it is missing (it downloads it with sudo); Quarto cannot be installed
here, and the processing itself does not use it, so this script runs nbdev's own `nbdev_proc_nbs` with only that
step skipped (on GitHub, where Quarto is installed, the deploy workflow runs the same command unchanged).
It checks that every notebook came out in `_proc/` and is on the generated sidebar (`nbs/sidebar.yml`), and exits non-zero on any failure."""
import argparse, shutil, sys, time
from pathlib import Path

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--workers', type=int, default=1, help='notebooks processed at once (default 1)')
    args = ap.parse_args()
    import nbdev.quarto
    from nbdev.config import get_config
    if not shutil.which('quarto'): nbdev.quarto._ensure_quarto = lambda: None   # the one step skipped: see above
    cfg = get_config()
    nbs = cfg.nbs_path
    proc = cfg.config_path/'_proc'
    shutil.rmtree(proc, ignore_errors=True)   # a clean build: every notebook is processed, none taken from a cache
    t0 = time.time()
    nbdev.quarto.nbdev_proc_nbs.__wrapped__(n_workers=args.workers)
    want = sorted(p.relative_to(nbs) for p in nbs.rglob('*.ipynb')
                  if not any(part.startswith(('.', '_')) for part in p.relative_to(nbs).parts))
    missing = [str(p) for p in want if not (proc/p).exists()]
    if missing: sys.exit(f'nbdev_proc_nbs did not process {len(missing)} of {len(want)} notebooks: {", ".join(missing)}')
    import yaml   # the sidebar is generated (settings.ini: custom_sidebar = False): every notebook must be on it
    side = yaml.safe_load((nbs/'sidebar.yml').read_text())['website']['sidebar']['contents']
    listed = set()
    def walk(o):
        if isinstance(o, str): listed.add(o)
        elif isinstance(o, dict): [walk(v) for v in o.values()]
        elif isinstance(o, list): [walk(v) for v in o]
    walk(side)
    off = [str(p) for p in want if p.as_posix() not in listed]
    if off: sys.exit(f'nbs/sidebar.yml does not list {", ".join(off)}')
    print(f'nbdev_proc_nbs: {len(want)} of {len(want)} notebooks processed into {proc.relative_to(cfg.config_path)}/ '
          f'in {time.time()-t0:.0f}s')

if __name__ == '__main__': main()
