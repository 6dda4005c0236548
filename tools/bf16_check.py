"""bf16 autocast on the CPU with the sweep's recipe: does a method train as well in bf16 as in fp32, dense and factored?

    python tools/bf16_check.py METHOD {fp32,bf16} {dense,factored}

`tlora_train` trains in fp32 on a CPU (mixed precision needs a GPU there); this script wraps each batch's forward and
loss in `torch.autocast('cpu', torch.bfloat16)` instead, so the GPU sweep's bf16 numbers can be compared on the CPU.
Recipe: rank 8, 3 epochs, 8,000 training images, lr 2e-2, batch 128 (the README's sweep). Output in /tmp/bf16_check.
"""
import sys, torch
from fastai.callback.core import Callback
import tlora_nb.learner as L, tlora_nb.cli as C, tlora_nb.core as core


class CPUAutocast(Callback):
    order = 10
    def before_batch(self): self.ac = torch.autocast('cpu', dtype=torch.bfloat16); self.ac.__enter__()
    def after_loss(self): self.ac.__exit__(None, None, None)
    def after_cancel_batch(self): self.ac.__exit__(None, None, None)


def main(method, precision, apply):
    make_learner, attach = L.adapter_learner, core.add_adapter
    def learner(dls, model, *a, mixed_precision=None, **kw):
        learn = make_learner(dls, model, *a, mixed_precision=None, **kw)
        if precision == 'bf16': learn.add_cb(CPUAutocast())
        return learn
    L.adapter_learner = learner                      # `train` imports both when it runs
    core.add_adapter = lambda model, name, **kw: attach(model, name, apply=apply, **kw)
    args = C.parse_args(['--factorization', method, '--rank', '8', '--num-epochs', '3', '--n-train', '8000',
                         '--learning-rate', '2e-2', '--batch-size', '128', '--no-progress',
                         '--output-dir', f'/tmp/bf16_check/{method}_{precision}_{apply}'])
    res = C.train(args)
    print('RESULT', method, precision, apply, {k: v for k, v in res.items() if 'acc' in k})


if __name__ == '__main__': main(*sys.argv[1:4])
