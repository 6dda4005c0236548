"""Run every notebook in nbs/ the way `nbdev_test` does (cells flagged slow/gpu skipped), in parallel,
and print one line per notebook plus a closing `N passed, M failed` line. Exit code 1 if any failed.

Usage: python tools/test_nbs.py [glob] [--flags "slow gpu"] [--workers N]
"""
import argparse, os, sys, time
os.environ.setdefault('OMP_NUM_THREADS', '1')   # one thread per worker: the workers already fill the cores
os.environ.setdefault('MPLBACKEND', 'Agg')
from pathlib import Path
from fastcore.parallel import parallel
from nbdev.config import get_config
from nbdev.test import test_nb
from nbdev.doclinks import nbglob

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('path', nargs='?', default=None, help='a notebook name or glob (default: all of nbs/)')
    p.add_argument('--flags', default='', help='space-separated flags to run that are normally skipped')
    p.add_argument('--workers', type=int, default=min(os.cpu_count() or 1, 2))
    a = p.parse_args()
    cfg = get_config()
    files = sorted(f.absolute() for f in nbglob(a.path, as_path=True))
    files = [f for f in files if not f.name.startswith('_')]
    if not files: sys.exit('no notebooks found to test')
    skip = [f for f in cfg.tst_flags.split() if f not in a.flags.split()]
    start = time.time()
    os.chdir(cfg.nbs_path)
    res = parallel(test_nb, files, skip_flags=skip, force_flags=a.flags.split(), n_workers=a.workers,
                   basepath=cfg.config_path, pause=0.01)
    for f, (ok, t) in zip(files, res): print(f"{'PASS' if ok else 'FAIL'} {t:6.1f}s  {f.name}")
    n_fail = sum(not ok for ok, _ in res)
    print(f"notebook tests took {time.time() - start:.0f}s on {os.cpu_count()} cores")
    print(f"notebooks: {len(files) - n_fail} passed, {n_fail} failed")
    sys.exit(1 if n_fail else 0)

if __name__ == '__main__': main()
