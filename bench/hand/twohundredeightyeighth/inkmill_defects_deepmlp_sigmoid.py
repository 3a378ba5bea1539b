"""Plain torch: a deep MLP flags which press-room faults a batch of offset ink will show (multi-
label, 4 flags), from the ink making sheet, so the lab can rework a batch before it ships:
misting (thin, fast-flying ink), setoff (slow-setting ink marking the sheet above it in the
pile), piling (ink building up on the rollers: too much pigment for the varnish) and poor
gloss (coarse grind or too little resin). Inputs, standardised: pigment load, resin share,
varnish body, solvent share, drier %, fineness of grind, tack. Each fault comes from a rule
on two or three of these (e.g. misting when tack is high and body low), with 4 % of flags
flipped by the lab's press test.
Ten hidden layers of 64 units (He-normal weights, zero biases) with the activation ``ACT``
after each, linear → 4 logits;
BCE-with-logits, SGD momentum 0.9 lr 0.05, batch 64, 20 epochs, 2000 batches of ink,
validation on 500 (BCE, exact-match rate, macro F1 over the 4 flags).
The bug: ``ACT = nn.Sigmoid`` ("smooth and bounded, like the shares on the sheet") stacks ten
sigmoids: the gradient reaching the first layers is a few powers of 0.25 smaller than at the
top.
Result: train BCE 0.655 → 0.639 (0.638-0.642 from epoch 2 on), val BCE 0.646 → 0.650, val
exact-match 0.206 and macro F1 0.0 in all 20 epochs (every flag predicted off).
Control (``ACT = nn.ReLU``): train BCE 0.577 → 0.183, val BCE 0.456 → 0.298 (lowest 0.265
at epoch 12), val exact-match 0.396 → 0.686, macro F1 0.647 → 0.867.
Log: JSON lines per epoch ``ink_qc.jsonl`` (``ep`` / ``bce`` / ``val_bce`` / ``val_exact`` /
``val_macro_f1``); checkpoint ``ink_faults.ckpt`` with keys ``net`` / ``momentum_sgd`` /
``ep`` / ``flags``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FLAGS = ["misting", "setoff", "piling", "poor_gloss"]
ACT = nn.Sigmoid  # smooth and bounded, like the shares on the sheet


def inks(n, g):
    x = torch.randn(n, 7, generator=g)
    pig, resin, body, solv, drier, grind, tack = x.unbind(1)
    y = torch.stack([
        (tack - body > 0.9),
        (solv - drier + 0.5 * body > 0.6),
        (pig - 0.8 * resin - 0.5 * body > 0.7),
        (grind - resin > 0.5),
    ], 1).float()
    flip = torch.rand(n, 4, generator=g) < 0.04
    return x, torch.where(flip, 1 - y, y)


class FaultMLP(nn.Module):
    def __init__(self):
        super().__init__()
        layers, d = [], 7
        for _ in range(10):
            layers += [nn.Linear(d, 64), ACT()]
            d = 64
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(64, 4)
        for m in self.body:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.head(self.body(x))


def build():
    torch.manual_seed(0)
    return FaultMLP()


def macro_f1(p, y):
    tp = (p * y).sum(0)
    return (2 * tp / (p.sum(0) + y.sum(0)).clamp(min=1)).mean().item()


def main():
    from _twohundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = inks(2000, g)
    xva, yva = inks(500, g)
    print("flag rates", ytr.mean(0))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with open(out / "ink_qc.jsonl", "w") as f:
        for ep in range(20):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                z = model(xva)
                vb = F.binary_cross_entropy_with_logits(z, yva).item()
                p = (z > 0).float()
                exact = (p == yva).all(1).float().mean().item()
            rec = {"ep": ep, "bce": round(tot / len(xtr), 5), "val_bce": round(vb, 5),
                   "val_exact": round(exact, 4), "val_macro_f1": round(macro_f1(p, yva), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "momentum_sgd": opt.state_dict(), "ep": 20,
                "flags": FLAGS}, out / "ink_faults.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="ink_faults.ckpt", log="ink_qc.jsonl",
           what="deep MLP flagging press-room faults of an ink batch from its making sheet;"
                " ten stacked sigmoid layers",
           complaint="We wrote a network that reads our ink making sheets (pigment load, resin,"
                     " varnish body, solvent, drier, grind, tack) and flags which press-room"
                     " faults a batch will show: misting, setoff, piling, poor gloss. After 20"
                     " epochs the loss has barely moved from 0.655 to 0.639 and it never flags"
                     " anything: macro F1 is 0.0 on every epoch. The press-room rules are not"
                     " complicated and our chemists can call most batches by eye. What are we"
                     " doing wrong?")


if __name__ == "__main__":
    main()
