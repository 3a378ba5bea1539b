"""MAML (second order) on sinusoid regression (Finn et al. 2017): a task is y = A sin(x + φ)
with amplitude A in [0.1, 5] and phase φ in [0, π], x uniform in [−5, 5]; 10 support and 10
query points per task. The learner is a 1-40-40-1 ReLU MLP run functionally
(``torch.func.functional_call``) on adapted weights; the inner loop takes 3 plain SGD steps of
0.01 on the support MSE with ``create_graph=True``, the outer loop is Adam 1e-3 on the query MSE
after adaptation, averaged over 10 tasks a meta-batch, 1400 meta-iterations. Every 50
iterations 100 fixed validation tasks are adapted the same way; ``maml_log.jsonl`` holds the
meta-training loss every 10 iterations and the validation query MSE before and after
adaptation every 50.
Bug: the tasks hand out x and y as vectors of shape (K,); the network is called on
``x[:, None]`` and returns (K, 1), and ``F.mse_loss(pred, y)`` broadcasts (K, 1) against (K,) to
(K, K): every prediction is compared with every target of the task, so the best the learner can
do, inside and outside the loop, is to predict the task's mean of y everywhere."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call

K, META_BATCH, ITERS, INNER_STEPS, INNER_LR = 10, 10, 1400, 3, 0.01


def tasks(n, g):
    amp = 0.1 + 4.9 * torch.rand(n, generator=g)
    phase = math.pi * torch.rand(n, generator=g)
    xs = 10 * torch.rand(n, 2 * K, generator=g) - 5
    ys = amp[:, None] * torch.sin(xs + phase[:, None])
    return xs, ys  # (n, 2K): the first K are support, the last K query


class SineNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 40), nn.ReLU(), nn.Linear(40, 40), nn.ReLU(),
                                 nn.Linear(40, 1))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return SineNet()


def task_mse(model, params, x, y):
    pred = functional_call(model, params, (x[:, None],))
    return F.mse_loss(pred, y)


def adapt(model, params, x, y):
    """INNER_STEPS plain SGD steps on one task's support set (differentiable: the outer
    backward goes through them, second order)."""
    for _ in range(INNER_STEPS):
        grads = torch.func.grad(lambda p: task_mse(model, p, x, y))(params)
        params = {k: p - INNER_LR * grads[k] for k, p in params.items()}
    return params


def meta_losses(model, params, xs, ys):
    """Query MSE after adaptation and before it, for each task of a batch (vmapped)."""
    def one(x, y):
        fast = adapt(model, params, x[:K], y[:K])
        return task_mse(model, fast, x[K:], y[K:]), task_mse(model, params, x[K:], y[K:])
    return torch.func.vmap(one)(xs, ys)


def main():
    from _thirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    val_x, val_y = tasks(100, g)
    model = build()
    meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "maml_log.jsonl", "w")
    window = []
    for it in range(1, ITERS + 1):
        xs, ys = tasks(META_BATCH, g)
        post, _ = meta_losses(model, dict(model.named_parameters()), xs, ys)
        meta_loss = post.mean()
        meta_opt.zero_grad()
        meta_loss.backward()
        meta_opt.step()
        window.append(meta_loss.item())
        if it % 10 == 0:
            log.write(json.dumps({"meta_iter": it, "meta_train_mse": round(sum(window) / 10, 4)})
                      + "\n")
            window = []
        if it % 50 == 0:
            params = {k: p.detach() for k, p in model.named_parameters()}
            post, pre = meta_losses(model, params, val_x, val_y)
            rec = {"meta_iter": it, "val_mse_preadapt": round(pre.mean().item(), 4),
                   "val_mse_postadapt": round(post.mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    log.close()
    torch.save({"meta_model": model.state_dict(), "meta_optim": meta_opt.state_dict(),
                "meta_iter": it, "inner_lr": INNER_LR, "inner_steps": INNER_STEPS},
               out / "maml_sine.pt")
    bx = val_x[:8, :K].reshape(-1)[:, None]
    by = val_y[:8, :K].reshape(-1)
    finish(out, __file__, (bx, by), causes=["shape_or_dtype_bug"],
           checkpoint="maml_sine.pt", log="maml_log.jsonl",
           what="second-order MAML on sinusoids; (K, 1) predictions against (K,) targets in MSE",
           complaint="MAML on the sine-wave toy problem doesn't meta-learn at all: the "
                     "validation MSE after 3 adaptation steps sits at about 4 for the whole run, "
                     "no better than before adaptation, while the paper's curves get well "
                     "under 1.")


if __name__ == "__main__":
    main()
