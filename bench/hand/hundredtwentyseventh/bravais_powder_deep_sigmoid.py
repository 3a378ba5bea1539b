"""Crystallography: the crystal system of a phase from its indexed powder pattern. Synthetic: a
random cubic, tetragonal, hexagonal or orthorhombic cell (a, b, c 3–12 Å), all reflections
h, k, l ≤ 6 with their 1/d² from the metric tensor, with a random systematic-absence rule
(primitive, body- or face-centred where the system allows), the first 12 distinct lines, their
1/d² divided by the first line's (the Ito / de Wolff ratios indexing programs use), a peak
position jitter of 0.3 % and 10 % of the weak lines dropped (replaced by the next line).
Features: the 12 ratios, log-scaled and standardised. A deep "feature extractor" MLP: 10 hidden
layers of 64 units with ``nn.Sigmoid`` (PyTorch's default init), a linear head for the 4
systems; SGD lr 0.05 (no momentum), batch 64, 25 epochs of 2000 patterns; JSON lines per epoch
(``epoch``, ``loss``, ``val_loss``, ``val_acc``).
Bug: ten stacked sigmoids (derivative ≤ 0.25 each) with default init and plain SGD: the first
layers' gradients are orders of magnitude smaller than the head's, and the loss stalls near
ln 4: train loss 1.393 → 1.390 over 25 epochs, val loss 1.388, val accuracy 0.24–0.26 (the
majority class); the first layer's weight-gradient norm is 1.5–6e-9 while the head's is 0.35–1.4.
Control (``ACT, DEPTH = nn.ReLU, 3``, the 3-layer ReLU net this one replaced): val accuracy
0.57 after epoch 1, 0.71 at 10, 0.88 at 25, train loss 0.31, val loss 0.32."""
import json

import torch
import torch.nn as nn

SYSTEMS = ["cubic", "tetragonal", "hexagonal", "orthorhombic"]
NL = 12
HKL = torch.tensor([(h, k, l) for h in range(7) for k in range(7) for l in range(7)  # noqa: E741
                    if (h, k, l) != (0, 0, 0)]).float()
ACT, DEPTH = nn.Sigmoid, 10


def ratios(system, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    a = 3 + 9 * r()
    b, c = a, a
    if system == 1:
        c = a * (0.6 + 0.9 * r())
    elif system == 2:
        c = a * (0.8 + 1.0 * r())
    elif system == 3:
        b, c = a * (0.6 + 0.9 * r()), a * (0.6 + 0.9 * r())
    h, k, l = HKL.T  # noqa: E741
    if system == 2:
        inv = 4 / 3 * (h * h + h * k + k * k) / a ** 2 + l * l / c ** 2
    else:
        inv = h * h / a ** 2 + k * k / b ** 2 + l * l / c ** 2
    centring = int(torch.randint(0, 3 if system in (0, 3) else 2, (1,), generator=g))
    if centring == 1:
        keep = (h + k + l) % 2 == 0
    elif centring == 2:
        keep = ((h % 2) == (k % 2)) & ((k % 2) == (l % 2))
    else:
        keep = torch.ones_like(h, dtype=torch.bool)
    lines = torch.unique((inv[keep] * 1e4).round()) / 1e4
    lines = lines[torch.rand(len(lines), generator=g) > 0.1 * (torch.arange(len(lines)) > 2)]
    lines = lines[:NL] * (1 + 0.003 * torch.randn(NL, generator=g))
    return (lines / lines[0]).log()


def patterns(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    return torch.stack([ratios(int(s), g) for s in y]), y


def build():
    torch.manual_seed(0)
    layers, width = [], NL
    for _ in range(DEPTH):
        layers += [nn.Linear(width, 64), ACT()]
        width = 64
    return nn.Sequential(*layers, nn.Linear(64, 4))


def main():
    from _hundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = patterns(2500, g)
    mu, sd = x[:2000].mean(0), x[:2000].std(0) + 1e-6
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    crit = nn.CrossEntropyLoss()
    log = open(out / "train_log.jsonl", "w")
    for epoch in range(1, 26):
        model.train()
        perm = torch.randperm(2000, generator=g)
        tot = 0.0
        for i in range(0, 2000, 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"epoch": epoch, "loss": round(tot / 2000, 4),
                   "val_loss": round(crit(lo, yva).item(), 4),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, model[0].weight.grad.norm().item(), model[-1].weight.grad.norm().item())
    log.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 25, "systems": SYSTEMS, "n_lines": NL}, out / "bravais_mlp.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["vanishing_gradients"],
           checkpoint="bravais_mlp.ckpt", log="train_log.jsonl",
           what="10-layer sigmoid MLP with default init and plain SGD on powder-pattern ratios",
           complaint="The crystal-system classifier does not learn anything. Loss is 1.39 at epoch 1 "
                     "and still 1.39 at epoch 25, validation accuracy sits at 0.25-0.26, which "
                     "is just guessing among 4 systems. I made the network deeper (10 layers) "
                     "to get better features and now it is worse than the old small one.")


if __name__ == "__main__":
    main()
