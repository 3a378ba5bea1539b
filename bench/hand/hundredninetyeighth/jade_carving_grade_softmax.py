"""Plain torch: an MLP grades a carved jade piece (A: untreated, B: bleached, C: dyed, D: fake)
from 10 numbers a gem lab measures (specific gravity, refractive index, hardness, colour
saturation, UV fluorescence, translucency, spectral band ratios, ...). The grade comes from
nonlinear combinations of the features (fluorescence × translucency, dye band minus
saturation, ...). MLP 10-64-64-4, Adam 3e-4, batch 64, 30 epochs of 1536 pieces, shuffled;
JSON lines log per epoch (``loss``, ``val_loss``, ``val_accuracy``).
Bug: the model ends in ``nn.Softmax(dim=1)`` ("so it outputs probabilities") and is trained
with ``nn.CrossEntropyLoss``, which applies its own log-softmax: the loss is squeezed into
[~0.74, 1.39] and its gradients vanish as the softmax saturates.
Run: epoch 30 loss 0.999, val loss 1.031, val accuracy 0.737 (the loss creeps down from 1.3).
Control (``, nn.Softmax(dim=1)`` removed): epoch 30 loss 0.532, val loss 0.594, val accuracy
0.787 (with Adam 1e-3 the two end at the same accuracy, 0.82, but at loss 0.85 against 0.18)."""
import json
import sys

import torch
import torch.nn as nn


def pieces(n, g):
    x = torch.randn(n, 10, generator=g)
    score = torch.stack([x[:, 0] + 0.8 * x[:, 1] * x[:, 2],
                         x[:, 3] - x[:, 4] ** 2 + 0.5,
                         torch.tanh(2 * x[:, 5]) + 0.6 * x[:, 6] - 0.3 * x[:, 7],
                         x[:, 8] * x[:, 9] - 0.4 * x[:, 0]], 1)
    return x, score.argmax(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4), nn.Softmax(dim=1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pieces(1536, g)
    xva, yva = pieces(384, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    criterion = nn.CrossEntropyLoss()
    step = 0
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            perm = torch.randperm(1536, generator=g)
            tot = 0.0
            for i in range(0, 1536, 64):
                idx = perm[i:i + 64]
                loss = criterion(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                out_va = model(xva)
                vl = criterion(out_va, yva).item()
                va = (out_va.argmax(1) == yva).float().mean().item()
            rec = {"epoch": epoch + 1, "step": step, "loss": round(tot / 1536, 4),
                   "val_loss": round(vl, 4), "val_accuracy": round(va, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "step": step, "epoch": 30}, out / "jade_grader.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="jade_grader.pth", log="train_log.jsonl",
           complaint="Our jade grading net (A/B/C/D from the lab measurements) learns painfully "
                     "slowly: after 30 epochs the training loss is still 1.0 and validation "
                     "accuracy 0.74. Plain MLP, Adam 3e-4; the grades follow from the features, "
                     "so I expected much better. Should I just train 10x longer?",
           what="MLP jade grade classifier (4 grades) from gem-lab measurements")


if __name__ == "__main__":
    main()
