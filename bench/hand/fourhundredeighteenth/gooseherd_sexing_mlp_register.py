"""Plain torch: an MLP sexes a gooseherd's geese at the autumn round-up from their body
measurements, so the breeding pens can be made up without venting every bird: gander or
goose (binary). 5 inputs: body weight (kg), culmen length (mm), tarsus (mm), wing chord
(mm) and knob height (mm, the bill knob of the Chinese-cross birds); ganders are about 12 %
larger in every measure and carry a taller knob, with the breed line and age setting the
overall size, so the classes overlap. The measurements come from the catching pen, one row
per bird in catching order, with the ring number; the sexes come from the breeding register,
which is kept in ring-number order.
Input: (5,) standardised with the train mean / std. Model: 5→32→Tanh→32→Tanh→1; BCE with
logits, SGD 0.05 (momentum 0.9, Nesterov), batch 16, 25 epochs, 1400 birds, validation on 350.
The bug: the catching-pen table is sorted by ring number to match the register, but the
labels are taken from the register before the rows are put back in catching order (see
``y = sex`` below: the measurements ``x`` are in catching order, ``sex`` in ring order), so
each bird is trained against another bird's sex: train BCE stays at 0.69-0.70 for all 25
epochs, val BCE 0.69-0.72, val accuracy 0.46-0.51 (0.486 at the end), gander recall jumping
between 0 and 1 (control, ``y = sex[catch_pos]``: train BCE 0.333 → 0.276, val BCE 0.20-0.26,
val accuracy 0.89-0.92, 0.894 at the end).
Log: JSON lines per epoch ``roundup_log.jsonl`` (``ep`` / ``bce`` / ``val_bce`` /
``val_acc`` / ``val_gander_recall``); checkpoint ``sexer_final.ckpt`` with keys ``weights``
/ ``sgd_state`` / ``ep`` / ``feat_mean`` / ``feat_std`` / ``positive``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def roundup(n, g):
    """Catching-pen rows (catching order, with ring numbers) and the register (ring order)."""
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    gander = (r(n) < 0.5).float()
    size = 1 + 0.08 * torch.randn(n, generator=g) + 0.06 * (r(n) < 0.4).float()
    s = size * (1 + 0.12 * gander)
    noise = lambda sd: 1 + sd * torch.randn(n, generator=g)  # noqa: E731
    meas = torch.stack([5.2 * s ** 3 * noise(0.06), 62 * s * noise(0.03),
                        82 * s * noise(0.03), 420 * s * noise(0.02),
                        (14 + 6 * gander) * size * noise(0.12)], 1)
    ring = torch.randperm(n, generator=g) + 1000
    register = gander[ring.argsort()]  # the register is in ring order
    return meas, ring, register


class Sexer(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(5, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                                 nn.Linear(32, 1))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return Sexer()


def table(n, g):
    meas, ring, sex = roundup(n, g)
    catch_pos = ring.argsort().argsort()  # each bird's row in the ring-sorted register  # noqa: F841
    x = meas
    y = sex  # the register's sex for each bird
    return x, y.unsqueeze(1)


def main():
    from _fourhundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = table(1400, g)
    rva, yva = table(350, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    with open(out / "roundup_log.jsonl", "w") as f:
        for ep in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                z = model(xva)
            p = (z > 0).float()
            rec = {"ep": ep, "bce": round(tot / len(xtr), 6),
                   "val_bce": round(F.binary_cross_entropy_with_logits(z, yva).item(), 6),
                   "val_acc": round((p == yva).float().mean().item(), 6),
                   "val_gander_recall": round(p[yva == 1].mean().item(), 6)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "ep": 25,
                "feat_mean": mean, "feat_std": std, "positive": "gander"},
               out / "sexer_final.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="sexer_final.ckpt", log="roundup_log.jsonl",
           what="MLP sexing geese from body measurements; the sexes are taken from the"
                " ring-ordered register and paired with rows in catching order",
           complaint="Goose sexing net from five body measurements (weight, culmen, tarsus,"
                     " wing, knob). Ganders are clearly bigger when you look at the birds, but"
                     " the training loss sits at 0.69-0.70 for all 25 epochs and validation"
                     " accuracy is 0.46-0.51, a coin toss. Changing the learning rate or making the net"
                     " bigger does nothing.")


if __name__ == "__main__":
    main()
