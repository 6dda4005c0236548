"Each interop check of issue 13 (Build 6-7), against whichever tlora_nb is on PYTHONPATH: PASS/FAIL per item (e.g. PYTHONPATH=/work/main python tools/interop_check.py)."
import copy, pickle, tempfile, os, io, contextlib, warnings, traceback
warnings.simplefilter('ignore')
import torch
from torch import nn
import tlora_nb.core as core
from tlora_nb.core import add_adapter, merge_adapter, remove_adapter, get_adapter, save_adapter
from tlora_nb.testing import tiny_model, tiny_input, logits, perturb
print('tlora_nb from', core.__file__)
xv = tiny_input('hf_vit')
def vit(method='lora', **kw):
    m = tiny_model('hf_vit'); perturb(add_adapter(m, method, **kw)); return m
def check(name):
    def deco(f):
        try: f(); print(f'PASS {name}')
        except Exception as e: print(f'FAIL {name}: {type(e).__name__}: {str(e).splitlines()[0][:150] if str(e) else ""}')
    return deco
@check('save_pretrained unmerged -> from_pretrained == adapted')
def _():
    from transformers import ViTForImageClassification
    m = vit(); y = m(xv).logits
    with tempfile.TemporaryDirectory() as d:
        with contextlib.redirect_stdout(io.StringIO()): m.save_pretrained(d)
        assert torch.allclose(ViTForImageClassification.from_pretrained(d)(xv).logits, y, atol=1e-5), 'outputs differ'
@check('merge_and_unload: plain model, no adapter keys')
def _():
    m = vit(); y = m(xv).logits
    p = core.merge_and_unload(m)
    assert not [k for k in p.state_dict() if 'tlora' in k or 'parametrizations' in k]
    assert torch.allclose(p(xv).logits, y, atol=1e-5)
@check('disable_adapter')
def _():
    m = vit('cp', rank=2); y0 = tiny_model('hf_vit')(xv).logits
    with core.disable_adapter(m): assert torch.allclose(m(xv).logits, y0, atol=1e-5)
@check('pickle unmerged')
def _():
    m = vit(); y = m(xv).logits
    assert torch.allclose(pickle.loads(pickle.dumps(m))(xv).logits, y, atol=1e-6)
@check('torch.save(model) / torch.load unmerged')
def _():
    m = vit(); y = m(xv).logits
    with tempfile.TemporaryDirectory() as d:
        torch.save(m, f'{d}/m.pt'); assert torch.allclose(torch.load(f'{d}/m.pt', weights_only=False)(xv).logits, y, atol=1e-6)
@check('deepcopy, merge+remove on the copy, original intact')
def _():
    m = vit('cp', rank=2); y = m(xv).logits
    c = copy.deepcopy(m); merge_adapter(c); remove_adapter(c)
    assert torch.allclose(m(xv).logits, y, atol=1e-6)
@check('fastai learn.export -> load_learner unmerged')
def _():
    from fastai.data.core import Datasets
    from fastai.data.transforms import ItemGetter
    from fastai.learner import load_learner
    from tlora_nb.learner import adapter_learner
    ds = [(xv[i % 2], i % 3) for i in range(8)]
    dls = Datasets(ds, [[ItemGetter(0)], [ItemGetter(1)]], splits=[list(range(6)), [6, 7]]).dataloaders(bs=2)
    m = vit('tucker3', rank=2); y = m(xv).logits
    learn = adapter_learner(dls, m)
    with tempfile.TemporaryDirectory() as d:
        learn.path = core.Path(d); learn.export('l.pkl'); l2 = load_learner(core.Path(d)/'l.pkl')
    assert torch.allclose(l2.model.eval()(xv), y, atol=1e-6)
for arch in ('hf_vit', 'hf_bert'):
    for method in ('cp', 'lora'):
        @check(f'HF gradient checkpointing {arch} {method}: same factor grads')
        def _():
            gs = []
            for ck in (False, True):
                m = tiny_model(arch)
                for mod in m.modules():
                    if isinstance(mod, nn.Dropout): mod.p = 0.0
                a = add_adapter(m, method, rank=2); perturb(a); m.train()
                if ck: m.gradient_checkpointing_enable()
                logits(m(tiny_input(arch))).pow(2).mean().backward()
                gs.append({n: p.grad for n, p in a.named_parameters()})
            for n in gs[0]: assert torch.allclose(gs[0][n], gs[1][n], atol=1e-5), n
for dt in (torch.bfloat16, torch.float16, torch.float64):
    @check(f'tcurlora .to({dt})')
    def _():
        m = vit('tcurlora'); y = m(xv).logits
        mc = copy.deepcopy(m).to(dt); yc = mc(xv.to(dt)).logits
        assert (yc.float() - y).abs().max() < 0.1
@check('tcurlora .half()')
def _():
    m = vit('tcurlora'); y = m(xv).logits
    mc = copy.deepcopy(m).half(); yc = mc(xv.half()).logits
    assert (yc.float() - y).abs().max() < 0.1
@check('meta forward, every method')
def _():
    bad = []
    for method in core.METHOD_MODULES:
        try:
            m = vit(method); mm = copy.deepcopy(m).to('meta'); mm(xv.to('meta'))
        except Exception as e: bad.append(f'{method}: {type(e).__name__}')
    assert not bad, bad
@check('tcurlora fused AdamW: works or AdapterError')
def _():
    m = vit('tcurlora'); opt = torch.optim.AdamW(get_adapter(m).parameters(), fused=True)
    m(xv).logits.sum().backward()
    try: opt.step()
    except core.AdapterError: return
@check('save_adapter files 0644 under umask 022')
def _():
    old = os.umask(0o022)
    try:
        with tempfile.TemporaryDirectory() as d:
            save_adapter(vit(), d)
            modes = {f: oct(os.stat(f'{d}/{f}').st_mode & 0o777) for f in os.listdir(d)}
            assert set(modes.values()) == {'0o644'}, modes
    finally: os.umask(old)
@check('PEFT export/import exists')
def _():
    from tlora_nb.lora import save_peft_lora, load_peft_lora
