"""An oyster-dredger's grading bench: a plain MLP sorts dredged native oysters into the
merchant's grades from what the grading machine measures: shell length, width and depth
(mm), whole weight (g), years on the lay, and the count of blisters on the shell (worm).
The rule behind the labels: a shell whose cup is too flat (depth / length under 0.22) or
badly blistered (4 or more) goes to the processing tray; the rest are graded by weight,
No. 1 at 90 g and over, No. 2 at 70-90 g, No. 3 under 70 g. The weight follows the shell's
volume and its condition (meat fill), with ±8 % scatter, so the grades overlap near the
weight lines.
Input: 6 features standardised by the training means. Model: Linear 6→48, Tanh, Linear
48→48, Tanh, Linear 48→4; cross-entropy, RMSprop 1e-3, batch 40, 25 epochs, 1600 oysters,
validation on 400.
The bug: ``build()`` initialises every Linear layer with ``nn.init.zeros_(m.weight)``
("start every grader from the same clean slate", the biases zero too): every hidden unit
computes the same thing and no weight gets a gradient. Measured: val accuracy 0.5275
(the No. 1 share) at every epoch, tray accuracy 0, loss 1.355 → 1.224 (only the output
bias learns the class shares); with ``nn.init.xavier_uniform_(m.weight)`` (control) val
accuracy 0.79 → 0.948, tray 0.89, val CE 0.55 → 0.168.
Log: one JSON lines file per epoch ``grading.jsonl`` (``epoch`` / ``loss`` / ``val_loss``
/ ``val_acc`` / ``val_acc_tray``); checkpoint ``grader.pt`` (``params`` / ``rmsprop`` +
``epoch``, ``grades``, ``mu``, ``sigma``)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["no1", "no2", "no3", "tray"]


def oysters(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    age = 3 + 3 * r()
    length = 55 + 9 * age + 8 * torch.randn(n, generator=g)
    width = length * (0.85 + 0.1 * r())
    depth = length * (0.2 + 0.12 * r())
    fill = 0.8 + 0.4 * r()
    weight = 0.0005 * length * width * depth * fill
    weight = weight * (1 + 0.08 * torch.randn(n, generator=g))
    blisters = torch.poisson(0.25 * age, generator=g)
    y = torch.full((n,), 2)
    y[weight >= 70] = 1
    y[weight >= 90] = 0
    y[(depth / length < 0.22) | (blisters >= 4)] = 3
    x = torch.stack([length, width, depth, weight * (1 + 0.02 * torch.randn(n, generator=g)),
                     age, blisters], 1)
    return x, y


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 48), nn.Tanh(), nn.Linear(48, 48), nn.Tanh(),
                          nn.Linear(48, 4))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.weight)  # start every grader from the same clean slate
            nn.init.zeros_(m.bias)
    return model


def main():
    from _threehundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = oysters(1600, g)
    xva, yva = oysters(400, g)
    mu, sigma = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sigma, (xva - mu) / sigma
    print("grades", torch.bincount(ytr, minlength=4).tolist())
    model = build()
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True,
                        generator=torch.Generator().manual_seed(1))
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    epochs = 25
    with open(out / "grading.jsonl", "w") as log:
        for epoch in range(epochs):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                vl = F.cross_entropy(logits, yva).item()
                pred = logits.argmax(1)
                acc = (pred == yva).float().mean().item()
                tray = (pred[yva == 3] == 3).float().mean().item()
            rec = {"epoch": epoch, "loss": round(tot / len(xtr), 5), "val_loss": round(vl, 5),
                   "val_acc": round(acc, 4), "val_acc_tray": round(tray, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"params": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": epochs,
                "grades": GRADES, "mu": mu, "sigma": sigma}, out / "grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="grader.pt", log="grading.jsonl",
           what="plain MLP grading dredged oysters into No. 1 / No. 2 / No. 3 / tray,"
                " every Linear layer initialised to zeros",
           complaint="Oyster grading net is stuck. Validation accuracy is exactly 0.5275 on every"
                     " one of 25 epochs and it never puts a single oyster in the tray grade. The loss"
                     " goes down a bit, 1.35 to 1.22, but the predictions never change: everything"
                     " comes out No. 1. Features are standardised, RMSprop 1e-3. Any idea?")


if __name__ == "__main__":
    main()
