"""README.md is generated from nbs/index.ipynb (what nbdev_readme does with Quarto, done here with nbconvert,
since Quarto is not available everywhere). `--check` fails if README.md is out of date."""
import re, sys
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

ROOT = Path(__file__).resolve().parent.parent

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
    out = render()
    if '--check' in sys.argv:
        if (ROOT/'README.md').read_text() != out:
            sys.exit('README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py`')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        (ROOT/'README.md').write_text(out)
        print('wrote README.md')
