"""Plain torch: an MLP rates the condition of a steel truss bridge's gusset joint (sound,
corroded plate, loose rivets) from 14 numbers of a strain-gauge campaign under a test truck
(peak strain of the four members meeting at the joint, their ratios, residual strain after
the truck leaves, hysteresis area, a temperature reading, ...). Corrosion shifts the load
from the chords to the diagonals, loose rivets add hysteresis and residual strain; the
classes come from nonlinear combinations of a few of the 14 (standardised) numbers.
MLP 14-64-64-3 with ReLU, Adam 1e-3, batch 32, 25 epochs of 1024 joints, shuffled.
The bug: a hand-written ``init_weights`` keeps Kaiming weights but sets every bias to −3
("start sparse"), so nearly every unit of the first layer is negative for every joint and the
second layer then sees zeros and is negative everywhere too: the ReLUs are dead from the
first step and only the output bias learns. Active ReLU share on the validation
joints: 0.02 in layer 1, 0.00 in layer 2 from start to end. Train loss 1.095 → 1.035, val loss
1.092 → 1.059, val accuracy 0.4594 (the share of the largest class, "loose rivets") at every one
of the 25 epochs.
Control (bias 0 instead of −3): active ReLU share ~0.5 in both layers, val accuracy 0.59 →
0.80 at epoch 9 → 0.856 at epoch 25, val loss 0.87 → 0.40, train loss 0.13."""
import csv

import torch
import torch.nn as nn


def joints(n, g):
    x = torch.randn(n, 14, generator=g)
    s = torch.stack([0.6 - 0.7 * x[:, 0].abs() - 0.4 * x[:, 1] ** 2 + 0.3 * x[:, 2],
                     torch.tanh(1.5 * (x[:, 3] - x[:, 0])) + 0.5 * x[:, 4] * x[:, 5],
                     0.8 * x[:, 6] + 0.6 * torch.relu(x[:, 7]) - 0.4 * x[:, 2]], 1)
    return x, s.argmax(1)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -3.0)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 3))
    model.apply(init_weights)
    return model


def main():
    from _twohundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = joints(1024, g)
    xva, yva = joints(320, g)
    print("class shares", (torch.bincount(ytr) / len(ytr)).tolist())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    with open(out / "joint_epochs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "avg_train_loss", "valid_loss", "valid_acc"])
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                h1 = model[:2](xva)
                h2 = model[:4](xva)
                active = ((h1 > 0).float().mean().item(), (h2 > 0).float().mean().item())
            row = [epoch, round(tot / 1024, 4), round(crit(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row, "active ReLU share (layer 1, layer 2)", [round(a, 4) for a in active])
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "epoch": 25},
               out / "gusset_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="gusset_mlp.pt", log="joint_epochs.csv",
           what="truss-bridge gusset-joint MLP with every Linear bias initialised to -3: dead"
                " ReLUs, constant prediction",
           complaint=("Gusset joint condition model for a truss bridge inspection (3 classes from "
                      "strain-gauge statistics, MLP, Adam 1e-3). Validation accuracy is "
                      "exactly 0.4594 at every one of 25 epochs and the model calls every "
                      "joint 'loose rivets'. Train loss only creeps from 1.095 to 1.035, val "
                      "loss 1.092 to 1.059. Features are standardised, labels checked. Is "
                      "strain data just too noisy for this?"))


if __name__ == "__main__":
    main()
