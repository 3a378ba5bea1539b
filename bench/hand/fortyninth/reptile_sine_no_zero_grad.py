"""Reptile meta-learning on sinusoid regression (amplitude 0.1–5, phase 0–pi, x in [-5, 5]):
a 1-40-40-1 tanh MLP; each meta-iteration draws one task with K = 10 points, runs 5 inner SGD
steps (lr 0.02) on the model itself, then moves the saved weights 0.1 of the way towards the
adapted ones (Reptile's outer interpolation). 1500 meta-iterations; every 100 the mean
query MSE over 40 fixed validation tasks before and after 5 adaptation steps is logged to a
CSV (with the running mean of the inner training loss).
Bug: the inner loop has no ``inner_opt.zero_grad()``, so ``.grad`` keeps every gradient ever
computed (the outer interpolation writes the weights, not the grads)."""
import copy
import csv

import torch
import torch.nn as nn

K, INNER, INNER_LR, EPS = 10, 5, 0.02, 0.1


def task(g):
    amp = 0.1 + 4.9 * torch.rand(1, generator=g)
    phase = torch.pi * torch.rand(1, generator=g)

    def sample(n):
        x = torch.rand(n, 1, generator=g) * 10 - 5
        return x, amp * torch.sin(x + phase)
    return sample


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(1, 40), nn.Tanh(), nn.Linear(40, 40), nn.Tanh(),
                         nn.Linear(40, 1))


def adapt_eval(model, xs, ys, xq, yq):
    fast = copy.deepcopy(model)
    opt = torch.optim.SGD(fast.parameters(), lr=INNER_LR)
    with torch.no_grad():
        before = ((fast(xq) - yq) ** 2).mean().item()
    for _ in range(INNER):
        opt.zero_grad()
        ((fast(xs) - ys) ** 2).mean().backward()
        opt.step()
    with torch.no_grad():
        return before, ((fast(xq) - yq) ** 2).mean().item()


def main():
    from _fortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    val = []
    for _ in range(40):
        sample = task(g)
        xs, ys = sample(K)
        xq, yq = sample(50)
        val.append((xs, ys, xq, yq))
    model = build()
    inner_opt = torch.optim.SGD(model.parameters(), lr=INNER_LR)
    running = []
    with open(out / "reptile.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["meta_iter", "inner_loss", "val_mse_before", "val_mse_after"])
        for it in range(1, 1501):
            sample = task(g)
            x, y = sample(K)
            old = copy.deepcopy(model.state_dict())
            for _ in range(INNER):
                loss = ((model(x) - y) ** 2).mean()
                loss.backward()
                inner_opt.step()
                running.append(loss.item())
            new = model.state_dict()
            model.load_state_dict({k: old[k] + EPS * (new[k] - old[k]) for k in old})
            if it % 100 == 0:
                res = [adapt_eval(model, *v) for v in val]
                b = sum(r[0] for r in res) / len(res)
                a = sum(r[1] for r in res) / len(res)
                w.writerow([it, round(sum(running) / len(running), 5), round(b, 5), round(a, 5)])
                print(it, round(sum(running) / len(running), 4), round(b, 4), round(a, 4))
                running = []
    torch.save({"meta_model": model.state_dict(), "inner_optimizer": inner_opt.state_dict(),
                "meta_iter": 1500, "inner_lr": INNER_LR, "outer_eps": EPS},
               out / "reptile_final.pt")
    xs, ys, _, _ = val[0]
    finish(out, __file__, (xs, ys), causes=["missing_zero_grad"],
           checkpoint="reptile_final.pt", log="reptile.csv",
           what="Reptile on sinusoid regression, inner SGD without zero_grad",
           complaint="My Reptile sine learner gets worse the longer it meta-trains: the "
                     "validation MSE after adaptation started around 3.7 and by the end it is "
                     "in the millions, and the inner loss keeps blowing up.")


if __name__ == "__main__":
    main()
