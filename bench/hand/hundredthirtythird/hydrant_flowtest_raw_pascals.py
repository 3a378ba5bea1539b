"""Hydrant flow tests (firefighting water supply): a crew opens one hydrant and reads the static
and residual pressure at a neighbouring one; the water board wants the state of the main from
those readings: 0 good, 1 tuberculated (old cast iron, high friction), 2 valve partly closed.
Features as the crews' tablet exports them: static pressure (Pa, ~4.5e5), residual pressure
(Pa), flow at the pitot (L/min, ~1500), water temperature (K, ~285), main diameter (mm, 100–300),
main age (years). A 3-layer MLP (64 wide, ReLU), SGD lr 1e-2 momentum 0.9, batch 32, 30 epochs.
Bug: the raw columns go straight into the network (pascals and kelvin unscaled); the mean and
std are computed and saved in the checkpoint but never applied → input_not_normalized.
Run: epoch-0 mean train loss 3.6e11, then 1.098 (ln 3) every epoch, val acc 0.325 (one class).
Control (``prep`` returns ``(x - mu) / sd``): val acc 0.54 → 0.80 (ep 9) → 0.84, val loss 0.318."""
import json
import sys

import torch
import torch.nn.functional as F
from torch import nn

CLASSES = ["good", "tuberculated", "valve_partly_closed"]


def tests(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    diam = 100 + 200 * torch.rand(n, generator=g)
    age = 5 + 80 * torch.rand(n, generator=g)
    static = 4.5e5 + 5e4 * torch.randn(n, generator=g)
    flow = 900 + 1200 * torch.rand(n, generator=g)
    temp = 285 + 4 * torch.randn(n, generator=g)
    # pressure drop ~ flow^1.85 / d^4.87 (Hazen-Williams), times a class factor
    base = 0.35 * (flow / 1500) ** 1.85 * (200 / diam) ** 2.0
    factor = torch.tensor([1.0, 1.9, 3.2])[y] * (1 + 0.1 * torch.randn(n, generator=g))
    age = torch.where(y == 1, age.clamp(min=40), age)
    drop = (base * factor).clamp(max=0.9)
    residual = static * (1 - drop)
    x = torch.stack([static, residual, flow, temp, diam, age], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 3))


def prep(x, mu, sd):
    return x.float()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tests(1200, g)
    xva, yva = tests(400, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    log = open(out / "flowtest_log.jsonl", "w")
    xt, xv = prep(xtr, mu, sd), prep(xva, mu, sd)
    for epoch in range(30):
        model.train()
        perm = torch.randperm(len(xt), generator=g)
        tot = 0.0
        for i in range(0, len(xt), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xt[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out_v = model(xv)
            rec = {"epoch": epoch, "train_loss": round(tot / len(xt), 5),
                   "val_loss": round(F.cross_entropy(out_v, yva).item(), 5),
                   "val_acc": round((out_v.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30,
                "feature_mean": mu, "feature_std": sd, "classes": CLASSES}, out / "hydrant_mlp.pt")
    finish(out, __file__, (xv[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="hydrant_mlp.pt", log="flowtest_log.jsonl",
           what="hydrant flow-test main-condition MLP fed raw pascals/kelvin/L-per-min, SGD",
           complaint="The hydrant model does not learn at all. The first epoch's average training loss "
                     "was 3.6e11, and from epoch 1 on the loss sits at 1.098 (ln 3) for all 30 epochs; "
                     "validation accuracy is 0.325, it predicts the same main condition for every "
                     "flow test. SGD lr 0.01 with momentum, nothing fancy.")


if __name__ == "__main__":
    main()
