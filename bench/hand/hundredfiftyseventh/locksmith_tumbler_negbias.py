"""A locksmith's master-key bench: identify which of 6 keyed-alike groups of a master-keyed
building a loose pin-tumbler key belongs to, from a caliper reading of its 6 cut depths (0–9,
0.38 mm steps, read with ± 0.5 step error), the blade length and the keyway's 3 warding widths.
The groups share the master cuts on some positions and differ on the change cuts, so a group is
a combination of positions (no single depth gives it away). Features standardised on the
training set. An MLP 10 → 64 → 64 → 6 with ReLU, Adam 1e-3, batch 64, 12 epochs of 2400 keys;
JSON lines per epoch (``epoch``, ``train_ce``, ``val_ce``, ``val_acc``, ``frac_active``: the
share of hidden units that fire for at least one validation key).
Bug: an ``init_weights`` copied from a "sparse activations" note sets every Linear bias to
``-3.0`` (``nn.init.constant_(m.bias, -3.0)``) after Kaiming-normal weights: with standardised
inputs the first layer's pre-activations have a spread of about 1.4, so a first-layer unit
fires only for a few keys in the tails, the second layer (its own bias -3) gets almost nothing
and is dead for every key, and no gradient reaches anything but the output bias. Train CE
1.7917 → 1.7908 in 12 epochs, val CE 1.7915 throughout (ln 6 = 1.7918), val accuracy 0.1667 at
every epoch (one group for every key); ``frac_active`` [0.766, 0.0] unchanged from epoch 0. The
control (bias 0.0) reaches val accuracy 1.000, val CE 0.0037, train CE 0.0029."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

GROUPS = torch.tensor([[3, 7, 2, 5, 8, 4], [3, 7, 6, 5, 2, 4], [3, 1, 2, 5, 8, 9],
                       [6, 7, 2, 1, 8, 4], [3, 1, 6, 5, 8, 9], [6, 7, 6, 1, 2, 4]]).float()
WARD = torch.tensor([1.9, 2.3, 1.6])


def keys(n, g):
    y = torch.randint(0, 6, (n,), generator=g)
    depths = GROUPS[y] + 0.5 * torch.randn(n, 6, generator=g)
    blade = 28.0 + 0.2 * torch.randn(n, 1, generator=g)
    ward = WARD + 0.05 * torch.randn(n, 3, generator=g)
    return torch.cat([depths, blade, ward], 1), y


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -3.0)  # negative bias → sparse activations


class KeyMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.out = nn.Linear(10, 64), nn.Linear(64, 64), nn.Linear(64, 6)
        self.apply(init_weights)

    def forward(self, x, return_hidden=False):
        h1 = F.relu(self.fc1(x))
        h2 = F.relu(self.fc2(h1))
        return (self.out(h2), h1, h2) if return_hidden else self.out(h2)


def build():
    torch.manual_seed(0)
    return KeyMLP()


def main():
    from _hundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = keys(3000, g)
    mu, sd = x[:2400].mean(0), x[:2400].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "keybench.jsonl", "w")
    for epoch in range(12):
        model.train()
        perm = torch.randperm(2400, generator=g)
        tot = 0.0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo, h1, h2 = model(xva, return_hidden=True)
            rec = {"epoch": epoch, "train_ce": round(tot / 2400, 4),
                   "val_ce": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4),
                   "frac_active": [round((h1 > 0).any(0).float().mean().item(), 3),
                                   round((h2 > 0).any(0).float().mean().item(), 3)]}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 12, "feature_mean": mu, "feature_std": sd}, out / "keymlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="keymlp.pt", log="keybench.jsonl",
           what="key-group MLP, every Linear bias initialised to -3.0, hidden ReLUs dead",
           complaint="Key-group classifier for our master-key system won't learn anything: 12 "
                     "epochs and the loss sits at 1.79 (train 1.7917 -> 1.7908, val 1.7915 the "
                     "whole time), validation accuracy exactly 0.1667 every epoch - it picks the "
                     "same group for every key. The depths are clearly different per group, a "
                     "caliper and a spreadsheet can do it.")


if __name__ == "__main__":
    main()
