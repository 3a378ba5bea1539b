"""Plain torch: an MLP with batch norm grades a sheet of wool felt off the felting line (A, B, C
or reject) from 10 lab measurements: fibre diameter, crimp, density, thickness spread, tensile
strength, shrinkage, moisture, surface pilling, ... The grade is a bucket of a nonlinear quality
score of six of them (class 0 reject, 1 C, 2 B, 3 A). MLP 10-64-BN-ReLU-64-BN-ReLU-4,
Adam 2e-3, batch 64, 15 epochs of 2048 sheets. Per-epoch JSON lines ``felt_log.jsonl`` (ep, loss, vloss, vacc).
The bug: the training sheets come from the lab as one file per grade and are concatenated
grade by grade; the ``DataLoader`` is made with ``shuffle=False`` ("keep runs reproducible"),
so every batch of 64 holds a single grade (the 4 blocks are multiples of 64 long). Each step
pushes the model towards one grade, batch norm normalises within one grade, and the model
ends up calling most sheets one grade: train loss 1.741 (epoch 1), then 1.47 → 1.426 (epoch
15); val accuracy 0.29 (epoch 1), 0.18–0.24 after, 0.19 at epoch 15 (val loss 1.44; 245 of the
400 val sheets called B).
Control (``sed 's/shuffle=False/shuffle=True/'``): epoch 3 val acc 0.80, epoch 15 train loss
0.348, val loss 0.355, val acc 0.843."""
import json

import torch
import torch.nn as nn


def sheets(n, g):
    x = torch.randn(n, 10, generator=g)
    q = (x[:, 0] - 0.6 * x[:, 1] ** 2 + 0.8 * torch.tanh(x[:, 2] * x[:, 3]) + 0.5 * x[:, 4]
         - 0.4 * x[:, 5].abs())
    edges = torch.tensor([-1.2, -0.35, 0.45])
    return x, torch.bucketize(q, edges)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 64),
                         nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _twohundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = sheets(6000, g)
    # the lab sends one file per grade: 512 sheets of each
    xtr = torch.cat([x[y == k][:512] for k in range(4)])
    ytr = torch.cat([y[y == k][:512] for k in range(4)])
    xva, yva = sheets(400, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=False)  # keep runs reproducible
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    with open(out / "felt_log.jsonl", "w") as f:
        for ep in range(1, 16):
            model.train()
            tl = 0.0
            for xb, yb in train:
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tl += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"ep": ep, "loss": round(tl / len(xtr), 4),
                   "vloss": round(loss_fn(lv, yva).item(), 4),
                   "vacc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 15,
                "global_step": step}, out / "felt_grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="felt_grader.pt", log="felt_log.jsonl",
           what="batch-norm MLP grading felt sheets, trained on grade-sorted data without"
                " shuffling: every batch one grade",
           complaint=("Felt sheet grader (A/B/C/reject from 10 lab measurements, 512 sheets per"
                      " grade). Training loss per epoch is 1.43-1.48 from epoch 2 on and hardly"
                      " goes down, and validation accuracy is stuck around 0.2 for all 15 epochs; on"
                      " the validation set it calls most sheets 'B'. A random forest"
                      " on the same numbers gets over 0.8. What's wrong with the network?"))


if __name__ == "__main__":
    main()
