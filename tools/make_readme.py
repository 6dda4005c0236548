"""README.md is generated from nbs/index.ipynb (what nbdev_readme does with Quarto, done here with nbconvert,
since Quarto is not available everywhere). `--check` fails if README.md is out of date.

The images the README and the docs show must lie inside the Quarto project (nbs/), or Quarto leaves them out of the
site: they are copies, in nbs/images/, of the figures the studies write under results/ (DOC_IMAGES). This script
refreshes the copies; `--check` fails if one differs from its source or the notebook links an image that is missing."""
import re, shutil, sys
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

ROOT = Path(__file__).resolve().parent.parent
# nbs/images/<name>: the figure under results/ it copies
DOC_IMAGES = {'fmnist_accuracy_vs_params.png': 'results/fmnist_study/accuracy_vs_params.png',
              'minilm_accuracy_vs_params.png': 'results/minilm_study/accuracy_vs_params.png',
              'sweep_accuracy_vs_params.png': 'results/sweep_results/seeds/sweep.png',
              'search_history.png': 'results/search_results/history.png'}

def image_problems(fix=False) -> list:
    "What is wrong with the docs' images (stale or missing copies, links to files outside nbs/); `fix` refreshes copies."
    out = []
    for name, src in DOC_IMAGES.items():
        dst, src = ROOT/'nbs'/'images'/name, ROOT/src
        if dst.exists() and src.exists() and dst.read_bytes() == src.read_bytes(): continue
        if fix and src.exists(): dst.parent.mkdir(exist_ok=True); shutil.copyfile(src, dst)
        else: out.append(f'nbs/images/{name} is not a copy of {src.relative_to(ROOT)}')
    nb = (ROOT/'nbs'/'index.ipynb').read_text()
    for link in re.findall(r'!\[[^\]]*\]\(((?!https?:)[^)\s]+)\)', nb):
        f = (ROOT/'nbs'/link).resolve()
        if not f.is_relative_to(ROOT/'nbs') or not f.exists(): out.append(f'nbs/index.ipynb links {link}: not a file inside nbs/')
    return out

def render() -> str:
    nb = nbformat.read(ROOT/'nbs'/'index.ipynb', as_version=4)
    keep = []
    for c in nb.cells:   # drop hidden cells, as the docs do
        src = c.source.lstrip()
        if c.cell_type == 'code' and (src.startswith('#| hide') or '#| hide' in src.split('\n')[0]): continue
        if c.cell_type == 'code':
            c.source = '\n'.join(l for l in c.source.split('\n') if not l.startswith('#|'))
        keep.append(c)
    nb.cells = keep
    nb.metadata['language_info'] = {'name': 'python'}   # fenced code as ```python (nbdev_clean drops the kernel info)
    body, _ = MarkdownExporter().from_notebook_node(nb)
    body = re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    # images are linked relative to nbs/ (where the notebook runs), e.g. ../results/...: from the README's place
    # (the repository root) the same file is results/...
    def root_relative(m):
        f = (ROOT/'nbs'/m[2]).resolve()
        return f"![{m[1]}]({f.relative_to(ROOT).as_posix()})" if f.exists() and f.is_relative_to(ROOT) else m[0]
    body = re.sub(r'!\[([^\]]*)\]\((?!https?:|/)([^)]+)\)', root_relative, body)
    return '<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n' + body

if __name__ == '__main__':
    bad = image_problems(fix='--check' not in sys.argv)
    if bad: sys.exit('\n'.join(bad) + '\n(run `python tools/make_readme.py`)')
    out = render()
    if '--check' in sys.argv:
        if (ROOT/'README.md').read_text() != out:
            sys.exit('README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py`')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        (ROOT/'README.md').write_text(out)
        print('wrote README.md')
