"""Plain torch: a 1-D CNN (with BatchNorm) sorts kumquats on a packing line from a
near-infrared reflectance spectrum (64 bands, 900-1700 nm) into 4 grades (export, local,
juice, cull). The grade follows from sugar (°Brix, a band near 1200 nm), dry matter
(water band near 1450 nm) and peel damage (a broad lift in the visible/NIR edge); the
sorting crew's labels are soft: each fruit carries the share of 5 graders who put it in
each grade, so the net is trained with KL divergence to those shares (distillation style).
Input: (1, 64) spectrum standardised per band. Target: (4,) grader shares.
Model: conv 1→16 k5 + BN + ReLU, conv 16→32 k5 stride 2 + BN + ReLU, global mean → 32→4;
Adam 2e-3, batch 64, 10 epochs, 2000 fruit, validation on 500.
The bug: ``F.kl_div(logits, shares, reduction="batchmean")``: the raw logits go in where the
loss wants log-probabilities, so the "KL" is unbounded below: the train loss goes
-1.02 → -37.3 over 10 epochs while val KL (computed properly) climbs 0.667 → 1.586 and
val accuracy (argmax vs the graders' majority) falls 0.604 → 0.312.
Control (``F.log_softmax(logits, 1)`` put back): train KL 0.417, val KL 0.430, val acc
0.670 at epoch 9.
Log: JSON lines per epoch ``sorter.jsonl`` (``epoch`` / ``kl`` / ``val_kl`` / ``val_acc``);
checkpoint ``kumquat_cnn.pt`` with keys ``weights`` / ``optimizer`` / ``epochs_done``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = 64


def fruit(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w = torch.linspace(0, 1, BANDS)
    brix = 10 + 8 * r(n, 1)
    dry = 14 + 8 * r(n, 1)
    dmg = (r(n, 1) < 0.25).float() * (0.5 + r(n, 1))
    spec = 0.4 + 0.1 * w - 0.012 * (brix - 14) * torch.exp(-((w - 0.38) / 0.05) ** 2)
    spec = spec - 0.02 * (30 - dry) * torch.exp(-((w - 0.69) / 0.06) ** 2)
    spec = spec + 0.15 * dmg * torch.exp(-w / 0.2) + 0.01 * torch.randn(n, BANDS, generator=g)
    score = torch.cat([0.6 * (brix - 15) + 0.3 * (dry - 18) - 4 * dmg,
                       0.2 * (brix - 12) - 1.5 * dmg, -0.3 * (brix - 12) + 0.0 * dry,
                       4 * dmg - 2], 1)
    votes = torch.multinomial(F.softmax(score * 1.5, 1), 5, replacement=True, generator=g)
    shares = F.one_hot(votes, 4).float().mean(1)
    return spec, shares


class Sorter(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                               nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32),
                               nn.ReLU())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.f(x).mean(2))


def build():
    torch.manual_seed(0)
    return Sorter()


def main():
    from _threehundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    str_, ytr = fruit(2000, g)
    sva, yva = fruit(500, g)
    mu, sd = str_.mean(0), str_.std(0)
    xtr, xva = ((str_ - mu) / sd).unsqueeze(1), ((sva - mu) / sd).unsqueeze(1)
    print("grade shares", ytr.mean(0))
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "sorter.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                logits = model(xtr[idx])
                loss = F.kl_div(logits, ytr[idx], reduction="batchmean")  # match grader shares
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vkl = F.kl_div(F.log_softmax(lv, 1), yva, reduction="batchmean").item()
            acc = (lv.argmax(1) == yva.argmax(1)).float().mean().item()
            rec = {"epoch": epoch, "kl": round(tot / len(xtr), 5), "val_kl": round(vkl, 5),
                   "val_acc": round(acc, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "optimizer": opt.state_dict(), "epochs_done": 10},
               out / "kumquat_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="kumquat_cnn.pt", log="sorter.jsonl",
           what="1-D BN CNN grading kumquats from NIR spectra against soft grader shares; kl_div"
                " gets raw logits instead of log-probabilities",
           complaint="Our kumquat grading net trains with a loss that keeps going down, even"
                     " far below zero, but when we check it against the graders on held-out fruit"
                     " it barely beats always saying the most common grade.")


if __name__ == "__main__":
    main()
