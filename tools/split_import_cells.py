"""nbdev's docs pre-processing (`nbdev_proc_nbs`) executes, in each notebook that documents exported code, the
exported cells, the `show_doc` cells and every cell that contains an `import` -- the whole cell. A test cell that
also imports something therefore runs in the docs build out of order (without the earlier test cells it relies
on), and slowly. nbdev's rule: do not mix imports with other code in cells that are not exported.

`python tools/split_import_cells.py` lists such cells and exits 1 if there are any;
`python tools/split_import_cells.py --fix` moves each one's import statements into a new cell just before it
(with the same `#|` directives), leaving the rest of the cell as it was. Run `nbdev_clean` afterwards."""
import ast, json, re, secrets, sys, warnings
from pathlib import Path
from execnb.nbio import read_nb
from nbdev.process import NBProcessor
from nbdev.processors import _do_eval, _ast_contains, _want_doc, _show_docs

ROOT = Path(__file__).resolve().parent.parent
_IMPORTS = (ast.Import, ast.ImportFrom)
_CODE = (ast.Expr, ast.Assign)   # what nbdev's warning looks for next to the imports

def mixed_cells(path):
    "Indices of the cells of notebook `path` that nbdev's docs processing runs whole because of an import."
    nb = read_nb(path)
    NBProcessor(nb=nb, rm_directives=False)   # parses each cell's `#|` directives
    has_docs = any(_want_doc(c) for c in nb.cells) or any(_show_docs(c.parsed_() or []) for c in nb.cells)
    if not has_docs: return []                  # nbdev executes nothing in a notebook that documents nothing
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for c in nb.cells:
            if c.cell_type != 'code' or not _do_eval(c): continue
            if c.directives_.keys() & {'export', 'exports', 'exporti', 'exec_doc'}: continue
            trees = c.parsed_()
            if _ast_contains(trees, _IMPORTS) and _ast_contains(trees, _CODE): out.append(c.idx_)
    return out

def split_source(src):
    "(imports, rest): `src`'s `#|` directive lines go to both; every import statement (nested ones too) to the first."
    lines = src.split('\n')
    directives = [l for l in lines if re.match(r'\s*#\|', l)]
    tree = ast.parse(src)
    imps = sorted((n for n in ast.walk(tree) if isinstance(n, _IMPORTS)), key=lambda n: (n.lineno, n.col_offset))
    taken, drop = [], {}
    for n in imps:
        i = n.lineno - 1
        if n.end_lineno != n.lineno: raise ValueError(f'a multi-line import (line {n.lineno}): split it by hand')
        seg = lines[i][n.col_offset:n.end_col_offset]
        taken.append(seg)
        drop.setdefault(i, []).append((n.col_offset, n.end_col_offset))
    rest = []
    for i, l in enumerate(lines):
        if i not in drop: rest.append(l); continue
        for a, b in sorted(drop[i], reverse=True):       # cut the statements, and the `;` that joined them
            tail = l[b:]; m = re.match(r'\s*;\s*', tail)
            l = l[:a] + (tail[m.end():] if m else tail)
        l = re.sub(r';\s*$', '', l.rstrip())
        if l.strip() and not l.strip().startswith('#'): rest.append(l)
        elif l.strip(): rest.append(l)                    # a comment that was on the import's line stays
    rest_src = '\n'.join(rest)
    ast.parse(rest_src)                                   # a block left empty would not parse: fix that one by hand
    return '\n'.join(directives + taken), rest_src

def fix(path, idxs):
    nb = json.loads(path.read_text())
    for i in sorted(idxs, reverse=True):
        cell = nb['cells'][i]
        src = ''.join(cell['source'])
        imports, rest = split_source(src)
        cell['source'] = rest.splitlines(keepends=True)
        new = dict(cell_type='code', execution_count=None, id=secrets.token_hex(4), metadata={}, outputs=[],
                   source=imports.splitlines(keepends=True))
        nb['cells'].insert(i, new)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

def main():
    do_fix = '--fix' in sys.argv
    found = 0
    for p in sorted((ROOT/'nbs').glob('*.ipynb')):
        idxs = mixed_cells(p)
        if not idxs: continue
        found += len(idxs)
        print(f'{p.relative_to(ROOT)}: cells {idxs} mix imports with other code')
        if do_fix: fix(p, idxs)
    if found and not do_fix:
        sys.exit(f'{found} cells mix imports with other code, which nbdev_proc_nbs runs out of order: '
                 'run `python tools/split_import_cells.py --fix && nbdev_clean`')
    print(f'{found} cells split' if do_fix else 'no cell mixes imports with other code')

if __name__ == '__main__': main()
