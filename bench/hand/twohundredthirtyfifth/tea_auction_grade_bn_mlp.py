"""Plain torch: an MLP with batch norm sorts tea lots at an auction into 4 catalogue grades
(dust, fannings, broken, whole leaf) from 14 raw catalogue numbers (leaf size in mm, moisture
in %, lot weight in kg, elevation in m, tasting scores, ...), fed unscaled: the batch-norm
layers are meant to do the scaling. The grade comes from a few feature combinations.
Linear(14→64)-BN-ReLU-Dropout(0.2), Linear(64→64)-BN-ReLU, Linear(64→4); Adam 2e-3, batch 64,
15 epochs of 1536 lots. Checkpoint ``{"net", "opt", "epoch"}``, log TSV per epoch.
The bug: the script scores the untrained model on the validation lots before training
("baseline") with ``model.eval()`` and the epoch loop never calls ``model.train()``: every
step trains in eval mode, batch norm uses its initial running statistics (mean 0, var 1) on the
unscaled inputs and dropout is off. Numbers: train loss 18.7 in epoch 1, 4.0 in epoch 2, 1.38 at
epoch 15; val accuracy 0.24-0.48 and jumping (0.40 at the end, val loss 1.66). Control
(``model.train()`` at the top of each epoch): train loss 1.36 → 0.86, val accuracy 0.36 → 0.64
and still rising, val loss 0.85."""
import sys

import torch
import torch.nn as nn

SCALE = torch.tensor([2.0, 3.0, 400.0, 600.0, 10.0, 10.0, 5.0, 50.0, 1.0, 8.0, 30.0, 2.0, 100.0,
                      4.0])
SHIFT = torch.tensor([5.0, 4.0, 1500.0, 1200.0, 60.0, 55.0, 20.0, 300.0, 0.0, 40.0, 120.0, 7.0,
                      900.0, 10.0])


def catalogue(n, g):
    z = torch.randn(n, 14, generator=g)
    s = torch.stack([z[:, 0] + 0.5 * z[:, 4], -z[:, 0] + z[:, 3] * z[:, 5],
                     z[:, 7] - 0.6 * z[:, 1] ** 2 + 0.6, 0.8 * z[:, 10] + 0.5 * z[:, 2]], 1)
    y = (s + 0.3 * torch.randn(s.shape, generator=g)).argmax(1)
    return z * SCALE + SHIFT, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = catalogue(1536, g)
    xva, yva = catalogue(384, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.eval()
    with torch.no_grad():
        print("baseline val acc", (model(xva).argmax(1) == yva).float().mean().item())
    lines = ["epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc"]
    for epoch in range(15):
        perm = torch.randperm(1536, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 1536, 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = loss_fn(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        lines.append(f"{epoch + 1}\t{tot / 1536:.4f}\t{hit / 1536:.4f}\t{vl:.4f}\t{va:.4f}")
        print(lines[-1])
    (out / "grades.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 15},
               out / "grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="grader.pt", log="grades.tsv",
           what="BN MLP grading tea auction lots from unscaled catalogue numbers",
           complaint="My tea-lot grader tops out around the numbers in grades.tsv and the "
                     "training loss barely moves after the first couple of epochs; a plain "
                     "logistic regression on standardised columns does about as well. The "
                     "batch norm should be handling the raw column scales, shouldn't it?")


if __name__ == "__main__":
    main()
